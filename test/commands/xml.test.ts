import { describe, expect, it } from 'vitest';
import { OssClientError } from '../../src/errors.js';
import { bool, buildXml, child, children, date, encodedText, escapeXml, int, parseXml, readXmlRoot, text, texts, urlDecode } from '../../src/commands/xml.js';

describe('xml mapping (src/commands/xml.ts)', () => {
  const doc = parseXml(`<?xml version="1.0"?>
    <R><Name>007</Name><Empty/><Flag>true</Flag><Size>12</Size><When>2024-01-01T00:00:00.000Z</When>
       <Item><K>a &amp; b</K></Item><Item><K>c</K></Item><One><K>x</K></One><Tag>t1</Tag><Tag>t2</Tag></R>`);
  const root = child(doc, 'R');

  it('keeps values as strings and reads typed fields', () => {
    expect(text(root, 'Name')).toBe('007');
    expect(text(root, 'Empty')).toBe('');
    expect(text(root, 'Missing')).toBeUndefined();
    expect(bool(root, 'Flag')).toBe(true);
    expect(int(root, 'Size')).toBe(12);
    expect(date(root, 'When')?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('normalises zero, one or many repeated elements to arrays', () => {
    expect(children(root, 'Item').map((n) => text(n, 'K'))).toEqual(['a & b', 'c']);
    expect(children(root, 'One').map((n) => text(n, 'K'))).toEqual(['x']);
    expect(children(root, 'None')).toEqual([]);
    expect(texts(root, 'Tag')).toEqual(['t1', 't2']);
  });

  it('treats non-XML text as an empty document', () => {
    expect(parseXml('not xml')).toEqual({});
    expect(parseXml('')).toEqual({});
  });

  it('builds escaped documents with repeated tags and dropped undefined', () => {
    const xml = buildXml('Delete', { Quiet: true, Object: [{ Key: 'a<&>"\'' }, { Key: 'b', VersionId: undefined }] });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Delete><Quiet>true</Quiet><Object><Key>a&lt;&amp;&gt;&quot;&apos;</Key></Object><Object><Key>b</Key></Object></Delete>',
    );
    expect(text(child(child(parseXml(xml), 'Delete'), 'Object'), 'Key')).toBe('a<&>"\'');
    expect(escapeXml('x')).toBe('x');
  });

  it('undoes encoding-type=url (+ is a space, %2B a plus)', () => {
    expect(urlDecode('a+b%2Bc%20d%E4%B8%AD%7E')).toBe('a b+c d中~');
  });

  it('decodes a field only when the answer says EncodingType url', () => {
    const encoded = child(parseXml('<R><EncodingType>url</EncodingType><Key>a+b%2B</Key><E><Key>c%20d</Key></E></R>'), 'R')!;
    const plain = child(parseXml('<R><Key>a+b%2B</Key></R>'), 'R')!;
    expect(encodedText(encoded, encoded, 'Key')).toBe('a b+');
    expect(encodedText(encoded, child(encoded, 'E'), 'Key')).toBe('c d');
    expect(encodedText(plain, plain, 'Key')).toBe('a+b%2B');
    expect(encodedText(encoded, encoded, 'Missing')).toBeUndefined();
  });

  it('reads the root element of a body; another root or no body is a broken answer', async () => {
    const body = (xml: string) => new Blob([xml]).stream();
    expect(await readXmlRoot(body('<A><B>1</B></A>'), 'A')).toEqual({ B: '1' });
    expect(await readXmlRoot(body('<A/>'), 'A')).toEqual({});
    await expect(readXmlRoot(body('<Other/>'), 'A')).rejects.toMatchObject({ code: 'NetworkError' });
    await expect(readXmlRoot(null, 'A')).rejects.toMatchObject({ code: 'NetworkError' });
  });
});

describe('xml parser edge cases', () => {
  it('handles declarations, comments, CDATA, attributes, character references and DOCTYPE', () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE R [ <!ENTITY boom "x"> ]>
      <!-- a comment -->
      <R xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com" a='1>2'>
        <C><![CDATA[<not a tag> & stays]]></C>
        <E>&#20013;&#x6587; &amp;boom; &boom;</E>
        <S attr="x"/>
      </R>`);
    const root = child(doc, 'R');
    expect(text(root, 'C')).toBe('<not a tag> & stays');
    expect(text(root, 'E')).toBe('中文 &boom; &boom;');
    expect(text(root, 'S')).toBe('');
  });

  it('keeps a __proto__ tag as data', () => {
    const doc = parseXml('<R><__proto__>x</__proto__></R>');
    expect(Object.getPrototypeOf(child(doc, 'R'))).toBe(Object.prototype);
    expect(text(child(doc, 'R'), '__proto__')).toBe('x');
  });

  it('refuses broken XML with NetworkError', () => {
    for (const broken of ['<R><A></R>', '<R>', '<R><A x="unterminated></A></R>', '<R></A>']) {
      expect(() => parseXml(broken), broken).toThrow(/not well-formed/);
    }
  });
});

describe('urlDecode', () => {
  it('decodes OSS url encoding, where + is a space', () => {
    expect(urlDecode('a%2Bb+c%E4%B8%AD')).toBe('a+b c中');
  });

  it('turns a malformed escape in an answer into NetworkError, not a bare URIError', () => {
    let caught: unknown;
    try {
      urlDecode('bad%E4%B8');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OssClientError);
    expect(caught).toMatchObject({ code: 'NetworkError' });
  });
});
