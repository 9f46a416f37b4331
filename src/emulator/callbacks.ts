/**
 * Upload callbacks, emulator side (docs/protocol.md, "Upload callbacks"): after PutObject, PostObject or
 * CompleteMultipartUpload stored an object, POST the rendered `callbackBody` to the application
 * server, signed with the emulator's own RSA key, and relay its JSON answer.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MAX_CALLBACK_BYTES, MAX_CALLBACK_URLS } from '../defaults.js';
import { fromBase64, fromUtf8, utf8 } from '../integrity/hash.js';
import { EmulatorError, type EmulatorEnv } from './context.js';

/** Where the server publishes the emulator's callback public key (served without auth). */
export const CALLBACK_PUBLIC_KEY_PATH = '/__osskit/callback_pub_key.pem';

const CALLBACK_TIMEOUT_MS = 5_000;
/** OSS accepts application answers up to 3 MB. */
const MAX_ANSWER_BYTES = 3 * 1024 * 1024;

let keyPair: { privateKey: KeyObject; publicPem: string } | undefined;

function keys(): { privateKey: KeyObject; publicPem: string } {
  if (!keyPair) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyPair = { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
  }
  return keyPair;
}

/**
 * The PEM public key the emulator signs callbacks with (generated once per process).
 * @example verifyCallback(req, { publicKey: callbackPublicKeyPem() })
 */
export function callbackPublicKeyPem(): string {
  return keys().publicPem;
}

/** A decoded, validated `x-oss-callback` parameter. */
export interface CallbackParams {
  urls: string[];
  host?: string;
  body: string;
  bodyType: 'application/x-www-form-urlencoded' | 'application/json';
  vars: Record<string, string>;
}

function invalidCallback(message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, { ArgumentName: 'callback' });
}

function decodeJson(value: string, what: string): Record<string, unknown> {
  if (value.length > MAX_CALLBACK_BYTES) throw invalidCallback(`The ${what} is too large.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(fromBase64(value)));
  } catch {
    throw invalidCallback(`The ${what} configuration is not json format.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidCallback(`The ${what} configuration is not json format.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Decodes and checks the callback parameters; handlers call this *before* storing the object so that
 * a malformed callback is a 400 InvalidArgument with nothing stored (docs/protocol.md, "Upload callbacks").
 * @example const params = parseCallbackParams(req.headers['x-oss-callback'], req.headers['x-oss-callback-var']);
 */
export function parseCallbackParams(callback: string, callbackVar?: string): CallbackParams {
  const doc = decodeJson(callback, 'callback');
  const url = doc.callbackUrl;
  if (typeof url !== 'string' || url.trim() === '') throw invalidCallback('The callbackUrl is empty.');
  const urls = url.split(';').map((u) => u.trim());
  if (urls.length > MAX_CALLBACK_URLS || urls.some((u) => u === '')) {
    throw invalidCallback('The callbackUrl is invalid.');
  }
  const body = doc.callbackBody;
  if (typeof body !== 'string' || body === '') throw invalidCallback('The callbackBody is empty.');
  const bodyType = doc.callbackBodyType ?? 'application/x-www-form-urlencoded';
  if (bodyType !== 'application/x-www-form-urlencoded' && bodyType !== 'application/json') {
    throw invalidCallback('The callbackBodyType is invalid.');
  }
  const host = doc.callbackHost;
  if (host !== undefined && typeof host !== 'string') throw invalidCallback('The callbackHost is invalid.');
  const vars: Record<string, string> = {};
  if (callbackVar !== undefined && callbackVar !== '') {
    for (const [name, value] of Object.entries(decodeJson(callbackVar, 'callback-var'))) {
      if (typeof value !== 'string') throw invalidCallback('The callback-var value must be a string.');
      vars[name] = value;
    }
  }
  return { urls, host: host === '' ? undefined : host, body, bodyType, vars };
}

export interface CallbackObjectFacts {
  bucket: string;
  key: string;
  /** Unquoted. */
  etag: string;
  size: number;
  mimeType: string;
}

/**
 * Renders `callbackBody`: `${name}` becomes the system or `x:` variable, URL-encoded for a form body;
 * for a JSON body it is JSON-escaped inside a string literal and a JSON value outside one, because OSS
 * documents both `"k":"${object}"` and `"k":${object}` templates. Unknown variables become empty.
 */
export function renderCallbackBody(params: CallbackParams, facts: CallbackObjectFacts): string {
  const values: Record<string, string> = {
    bucket: facts.bucket,
    object: facts.key,
    etag: facts.etag,
    size: String(facts.size),
    mimeType: facts.mimeType,
    'imageInfo.height': '',
    'imageInfo.width': '',
    'imageInfo.format': '',
    ...params.vars,
  };
  const json = params.bodyType === 'application/json';
  let out = '';
  let inString = false;
  for (let i = 0; i < params.body.length; i++) {
    const ch = params.body[i]!;
    if (ch === '$' && params.body[i + 1] === '{') {
      const end = params.body.indexOf('}', i + 2);
      if (end > 0) {
        const name = params.body.slice(i + 2, end);
        const value = values[name] ?? '';
        if (!json) out += encodeURIComponent(value);
        else if (inString) out += JSON.stringify(value).slice(1, -1);
        else out += name === 'size' ? value : JSON.stringify(value);
        i = end;
        continue;
      }
    }
    if (json && ch === '"') inString = !inString;
    else if (json && inString && ch === '\\') {
      out += ch + (params.body[i + 1] ?? '');
      i++;
      continue;
    }
    out += ch;
  }
  return out;
}

export type CallbackOutcome =
  | { ok: true; status: number; body: Uint8Array; contentType: string }
  | { ok: false; message: string };

interface Attempt {
  status: number;
  body: Uint8Array;
  contentType: string;
}

function post(url: URL, hostHeader: string | undefined, headers: Record<string, string>, body: Uint8Array): Promise<Attempt> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: { ...headers, host: hostHeader ?? url.host }, timeout: CALLBACK_TIMEOUT_MS },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error('the response body is too large'));
          else chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: new Uint8Array(Buffer.concat(chunks)),
            contentType: String(res.headers['content-type'] ?? ''),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function tryUrl(raw: string, params: CallbackParams, body: Uint8Array, env: EmulatorEnv): Promise<CallbackOutcome> {
  let url: URL;
  try {
    // OSS accepts `host:port/path` without a scheme (doc examples), meaning http.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { ok: false, message: 'The callbackUrl is invalid.' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: 'The callbackUrl is invalid.' };
  // docs/protocol.md, "Upload callbacks": url_decode(path) + raw query (with "?") + "\n" + body.
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  const signed = Buffer.concat([Buffer.from(`${path}${url.search}\n`, 'utf8'), Buffer.from(body)]);
  const authorization = sign('RSA-MD5', signed, keys().privateKey).toString('base64');
  const headers = {
    'content-type': params.bodyType,
    'content-length': String(body.length),
    date: env.now().toUTCString(),
    authorization,
    'x-oss-pub-key-url': Buffer.from(`${env.endpoint}${CALLBACK_PUBLIC_KEY_PATH}`, 'utf8').toString('base64'),
    'user-agent': 'osskit-emulator-callback',
  };
  let answer: Attempt;
  try {
    answer = await post(url, params.host, headers, body);
  } catch (err) {
    const reason = err instanceof Error && err.message === 'timeout' ? 'timeout' : 'connect failed';
    return { ok: false, message: `Error status : -1. ${reason}` };
  }
  if (answer.status !== 200) return { ok: false, message: `Error status : ${answer.status}.` };
  try {
    JSON.parse(fromUtf8(answer.body));
  } catch {
    return { ok: false, message: 'Response body is not valid json format.' };
  }
  return { ok: true, status: 200, body: answer.body, contentType: 'application/json' };
}

/**
 * Runs a callback: renders the body, then tries each URL in order until one answers 200 with JSON.
 * A failure is `{ ok: false, message }`; the caller answers 203 CallbackFailed (object kept).
 * @example
 * const outcome = await performCallback({ callback, bucket, key, etag, size, mimeType }, env);
 */
export async function performCallback(
  input: {
    callback: string;
    callbackVar?: string;
    bucket: string;
    key: string;
    etag: string;
    size: number;
    mimeType: string;
    extraVars?: Record<string, string>;
  },
  env: EmulatorEnv,
): Promise<CallbackOutcome> {
  let params: CallbackParams;
  try {
    params = parseCallbackParams(input.callback, input.callbackVar);
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : 'The callback is invalid.' };
  }
  params.vars = { ...params.vars, ...(input.extraVars ?? {}) };
  const body = utf8(renderCallbackBody(params, input));
  let last: CallbackOutcome = { ok: false, message: 'The callbackUrl is empty.' };
  for (const url of params.urls) {
    last = await tryUrl(url, params, body, env);
    if (last.ok) return last;
  }
  return last;
}

/**
 * The 203 answer OSS sends when the object was stored but the callback failed (EC 0007-00000203).
 * @example throw callbackFailed(outcome.message)
 */
export function callbackFailed(message: string, headers: Record<string, string> = {}): EmulatorError {
  return new EmulatorError(203, 'CallbackFailed', message, { EC: '0007-00000203' }, headers);
}
