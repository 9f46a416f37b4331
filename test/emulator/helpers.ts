/**
 * Test helpers: raw HTTP to the emulator, signed with the shared signer (V1/V4 header or URL).
 */
import { request as httpRequest } from 'node:http';
import { createHash } from 'node:crypto';
import { encodePath, rfc3986Encode } from '../../src/signer/encode.js';
import { presignV1, signV1 } from '../../src/signer/v1.js';
import { presignV4, signV4 } from '../../src/signer/v4.js';
import type { Emulator, EmulatorCredentials } from '../../src/emulator/index.js';

export interface RawRequest {
  method?: string;
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Default 'v4'. */
  sign?: 'v1' | 'v4' | 'presign-v1' | 'presign-v4' | 'none';
  credentials?: EmulatorCredentials;
  now?: Date;
  expires?: number;
  /** Virtual-hosted: send to the emulator's address with this Host header (bucket left out of the path). */
  host?: string;
  /** Overrides the path entirely (already encoded). */
  rawPath?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export function md5Base64(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('base64');
}

function queryString(query: Record<string, string>): string {
  const parts = Object.entries(query).map(([k, v]) => (v === '' ? rfc3986Encode(k) : `${rfc3986Encode(k)}=${rfc3986Encode(v)}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Sends one request and collects the answer (never throws on an HTTP error status). */
export function send(emu: Emulator, req: RawRequest): Promise<RawResponse> {
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const signing = { method, bucket: req.bucket, key: req.key, query: { ...(req.query ?? {}) }, headers };
  const creds = req.credentials ?? emu.credentials;
  const now = req.now ?? new Date();
  let query = { ...(req.query ?? {}) };
  switch (req.sign ?? 'v4') {
    case 'v1':
      Object.assign(headers, signV1(signing, creds, { now }));
      break;
    case 'v4':
      Object.assign(headers, signV4(signing, creds, { now, region: emu.region }));
      break;
    case 'presign-v1':
      query = { ...query, ...presignV1(signing, creds, { now, expires: req.expires ?? 900 }) };
      break;
    case 'presign-v4':
      query = { ...query, ...presignV4(signing, creds, { now, region: emu.region, expires: req.expires ?? 900 }) };
      break;
    case 'none':
      break;
  }
  const path =
    req.rawPath ??
    encodePath(req.host ? `/${req.key ?? ''}` : `/${req.bucket ? `${req.bucket}/` : ''}${req.key ?? ''}`) + queryString(query);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: emu.host,
        port: emu.port,
        method,
        path,
        headers: { ...headers, ...(req.host ? { host: req.host } : {}), ...(body ? { 'content-length': String(body.length) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: flat, body: all, text: all.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** The text of `<Name>` in an XML document (first occurrence). */
export function xmlText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1];
}

/** Every `<Name>` text in document order. */
export function xmlTexts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]!);
}

export async function createBucket(emu: Emulator, bucket: string): Promise<void> {
  const res = await send(emu, { method: 'PUT', bucket });
  if (res.status !== 200) throw new Error(`PutBucket ${bucket}: ${res.status} ${res.text}`);
}

export async function putObject(emu: Emulator, bucket: string, key: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(emu, { method: 'PUT', bucket, key, body, headers });
}
