/**
 * Strict XML reading. (1) Differential: the hand-written parser and fast-xml-parser (an oracle we
 * did not write) must build the same tree for many seeded random documents using everything OSS
 * answers contain: nesting, repeated siblings, the five entities, character references, CDATA,
 * comments, attributes, declarations, self-closing tags, whitespace. (2) Refusals: a 2xx body that
 * is not the expected document is a NetworkError with a clear message, and send() retries it.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { listObjectsV2 } from '../../src/commands/object/list-objects-v2.js';
import { getObjectTagging } from '../../src/commands/object/get-object-tagging.js';
import { bucketCors } from '../../src/commands/bucket/subresources.js';
import { getBucketLocation } from '../../src/commands/bucket/get-bucket-location.js';
import { isOssClientError } from '../../src/errors.js';
import { send } from '../../src/pipeline/send.js';
import { parseXml, parseXmlDocument, type XmlValue } from '../../src/commands/xml.js';
import { mulberry32 } from '../helpers/prng.js';
import { context, reply, scriptedTransport } from '../pipeline/send-fixtures.js';

const oracle = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true, // numeric character references
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The oracle's tree in our shape: whitespace between child elements is not content. */
function normalize(value: unknown): XmlValue {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return String(value);
  const out: Record<string, XmlValue> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '#text' && String(v).trim() === '') continue;
    out[k] = normalize(v);
  }
  return out;
}

const TAGS = ['Key', 'Size', 'ETag', 'Contents', 'Prefix', 'Owner', 'ID', 'Tag', 'Value', 'A1', 'x-y', 'ns_k'];
const PLAIN = 'abcXYZ019 -_/.+=%中文😀\t';

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

/** Text that decodes to a known string, written with entities, references and CDATA. */
function textPiece(rand: Rand): string {
  const n = 1 + Math.floor(rand() * 6);
  let out = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.45) out += pick(rand, [...PLAIN]);
    else if (r < 0.6) out += pick(rand, ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;']);
    else if (r < 0.7) out += `&#${pick(rand, [65, 38, 60, 20013, 128512])};`;
    else if (r < 0.8) out += `&#x${pick(rand, ['41', '26', '3C', '4E2D', '1F600'])};`;
    else if (r < 0.9) out += `<![CDATA[${pick(rand, ['<raw>', 'a&b', ']]', 'x'])}]]>`;
    else out += pick(rand, ['"', "'", '>']);
  }
  return out;
}

function attributes(rand: Rand): string {
  if (rand() < 0.7) return '';
  return ` a="${pick(rand, ['1', 'x>y', "it's"])}" b='${pick(rand, ['2', 'q"r'])}'`;
}

function element(rand: Rand, depth: number): string {
  const tag = pick(rand, TAGS);
  const attrs = attributes(rand);
  const r = rand();
  if (r < 0.1) return `<${tag}${attrs}/>`;
  if (depth >= 4 || r < 0.5) return `<${tag}${attrs}>${rand() < 0.1 ? '' : textPiece(rand)}</${tag}>`;
  const children: string[] = [];
  const count = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) {
    const space = pick(rand, ['', '\n  ', ' ']);
    const comment = rand() < 0.1 ? '<!-- note <x> -->' : '';
    children.push(space + comment + element(rand, depth + 1));
  }
  return `<${tag}${attrs}>${children.join('')}${pick(rand, ['', '\n'])}</${tag}>`;
}

function documentOf(rand: Rand): string {
  const declaration = rand() < 0.6 ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
  return `${declaration}${element(rand, 0)}${pick(rand, ['', '\n'])}`;
}

describe('differential: hand-written parser vs fast-xml-parser', () => {
  it('builds the same tree for 3000 seeded random documents', () => {
    const rand = mulberry32(20261201);
    let compared = 0;
    for (let i = 0; i < 3000; i++) {
      const xml = documentOf(rand);
      const ours = parseXml(xml);
      const theirs = normalize(oracle.parse(xml));
      expect(ours, xml).toEqual(theirs);
      const root = Object.keys(ours)[0]!;
      expect(parseXmlDocument(xml, root), xml).toEqual(typeof ours[root] === 'object' ? ours[root] : {});
      compared++;
    }
    expect(compared).toBe(3000);
  });

  it('the generator does produce every construct', () => {
    const rand = mulberry32(20261201);
    const all = Array.from({ length: 300 }, () => documentOf(rand)).join('');
    for (const construct of ['<![CDATA[', '&#x', '&#', '&amp;', '<!--', '/>', "b='", '<?xml', '<Contents>']) {
      expect(all).toContain(construct);
    }
  });
});

describe('strict documents', () => {
  const bad: [string, string, RegExp][] = [
    ['empty body', '', /empty body/],
    ['plain text', 'Service Unavailable', /not XML/],
    ['HTML page from a proxy', '<!DOCTYPE html><html><head><meta charset="utf-8"><title>502</title></head><body><h1>Bad Gateway</h1></body></html>', /not well-formed|got <html>/],
    ['well-formed HTML', '<html><body><p>hi</p></body></html>', /got <html>/],
    ['truncated body', '<?xml version="1.0"?><ListBucketResult><Name>b</Name><Contents><Key>a', /not well-formed/],
    ['cut after a closed child', '<ListBucketResult><Name>b</Name>', /not well-formed/],
    ['wrong root', '<Error><Code>X</Code></Error>', /expected an XML <ListBucketResult> document, got <Error>/],
    ['two roots', '<ListBucketResult/><ListBucketResult/>', /got <ListBucketResult>/],
    ['text after the root', '<ListBucketResult></ListBucketResult>trailing', /outside the root/],
  ];

  it.each(bad)('%s → NetworkError', (_name, xml, message) => {
    let error: unknown;
    try {
      parseXmlDocument(xml, 'ListBucketResult');
    } catch (e) {
      error = e;
    }
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts the expected document with declaration, comments and whitespace around it', () => {
    expect(parseXmlDocument('<?xml version="1.0"?>\n<!-- c -->\n<R><K>v</K></R>\n', 'R')).toEqual({ K: 'v' });
  });

  it('commands built on the shared readers refuse too, never returning an empty result', async () => {
    const html = '<html><body>proxy</body></html>';
    const input = { bucket: 'bkt', key: 'k' };
    const answer = () => ({ status: 200, headers: { 'x-oss-request-id': 'R' }, body: new Blob([html]).stream() });
    await expect(listObjectsV2.deserialize(answer(), { bucket: 'bkt' })).rejects.toMatchObject({ code: 'NetworkError' });
    await expect(getObjectTagging.deserialize(answer(), input)).rejects.toMatchObject({ code: 'NetworkError' });
    await expect(bucketCors.get.deserialize(answer(), { bucket: 'bkt' })).rejects.toMatchObject({ code: 'NetworkError' });
    await expect(getBucketLocation.deserialize(answer(), { bucket: 'bkt' })).rejects.toMatchObject({ code: 'NetworkError' });
  });
});

describe('send() retries a broken 2xx answer like a dropped connection', () => {
  const good = '<?xml version="1.0"?><ListBucketResult><Name>bkt</Name><IsTruncated>false</IsTruncated><Contents><Key>a.txt</Key><Size>1</Size></Contents></ListBucketResult>';

  it('a proxy page, then a truncated body, then the real answer: three attempts, the real result', async () => {
    const transport = scriptedTransport((_request, n) =>
      n === 1 ? reply(200, { 'content-type': 'text/html' }, '<html><body>gateway</body></html>') : n === 2 ? reply(200, {}, good.slice(0, 60)) : reply(200, {}, good),
    );
    const out = await send(context(transport), listObjectsV2, { bucket: 'bkt' });
    expect(transport.calls).toHaveLength(3);
    expect(out.contents.map((c) => c.key)).toEqual(['a.txt']);
  });

  it('gives up after maxAttempts with a NetworkError that names the operation', async () => {
    const transport = scriptedTransport(() => reply(200, {}, '<html/>'));
    const error = await send(context(transport), listObjectsV2, { bucket: 'bkt' }).catch((e: unknown) => e);
    expect(transport.calls).toHaveLength(3);
    expect(error).toMatchObject({ code: 'NetworkError', operation: 'ListObjectsV2' });
    expect((error as Error).message).toMatch(/expected an XML <ListBucketResult> document/);
  });
});
