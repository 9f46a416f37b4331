/**
 * The work every runtime test asks of osskit, written once for Bun, Deno and workerd: a presigned
 * PUT and GET sent with the runtime's own fetch, putObject + getObject, listObjectsV2 and a
 * multi-part `upload()`, all against the emulator the Node test process runs. Every read is compared
 * with the bytes written here, and the report carries SHA-256 digests that the Node side recomputes.
 * Plain Web APIs only (fetch, crypto.subtle), so the same file runs everywhere.
 */
import type { CoreOssClient } from '../../src/exports.js';

export const KiB = 1024;
/** Three parts of 100 KiB (the OSS minimum part size) and a short last one. */
export const UPLOAD_SIZE = 3 * 100 * KiB + 1234;
export const PUT_SIZE = 64 * KiB + 5;
export const PRESIGNED_SIZE = 3 * KiB + 1;

/** Deterministic bytes; the Node test makes the same ones to compare. */
export function pattern(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(size));
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >>> 9)) & 255;
  return bytes;
}

export interface ScenarioReport {
  runtime: string;
  /** The URL the runtime resolved the package to (set by main.ts). */
  resolved?: string;
  /** Which build the runtime loaded: the Node one has `uploadFile`. */
  build: 'node' | 'browser';
  keys: string[];
  /** Key → SHA-256 (hex) of the bytes read back in the runtime. */
  sha256: Record<string, string>;
  uploadEtag: string;
  putCrc64?: string;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function assertSame(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (actual.byteLength !== expected.byteLength) throw new Error(`${what}: ${actual.byteLength} bytes, expected ${expected.byteLength}`);
  for (let i = 0; i < actual.byteLength; i++) {
    if (actual[i] !== expected[i]) throw new Error(`${what}: byte ${i} differs`);
  }
}

/** Runs the scenario under `prefix` with a client already pointed at the emulator's bucket. */
export async function runScenario(client: CoreOssClient, prefix: string, runtime: string): Promise<ScenarioReport> {
  const sha256: Record<string, string> = {};

  // Presigned URLs, sent by the runtime's own fetch: no client in the loop.
  const presignedKey = `${prefix}presigned ü+1.bin`;
  const presignedBytes = pattern(PRESIGNED_SIZE, 1);
  const put = await client.presign({ key: presignedKey, method: 'PUT', headers: { 'Content-Type': 'application/x-runtime' } });
  const putAnswer = await fetch(put.url, { method: 'PUT', headers: put.headers, body: presignedBytes });
  if (putAnswer.status !== 200) throw new Error(`presigned PUT answered ${putAnswer.status}: ${await putAnswer.text()}`);
  const get = await client.presign({ key: presignedKey });
  const getAnswer = await fetch(get.url);
  if (getAnswer.status !== 200) throw new Error(`presigned GET answered ${getAnswer.status}`);
  const presignedRead = new Uint8Array(await getAnswer.arrayBuffer());
  assertSame(presignedRead, presignedBytes, 'presigned GET');
  sha256[presignedKey] = await sha256Hex(presignedRead);

  // putObject + getObject through the client's transport.
  const putKey = `${prefix}put.bin`;
  const putBytes = pattern(PUT_SIZE, 2);
  const putOut = await client.putObject({ key: putKey, body: putBytes, contentType: 'application/x-runtime' });
  const object = await client.getObject({ key: putKey });
  if (object.contentType !== 'application/x-runtime') throw new Error(`getObject contentType ${object.contentType}`);
  const putRead = await object.bytes();
  assertSame(putRead, putBytes, 'getObject');
  sha256[putKey] = await sha256Hex(putRead);

  // Managed multipart upload: 4 parts, 2 at a time.
  const uploadKey = `${prefix}upload.bin`;
  const uploadBytes = pattern(UPLOAD_SIZE, 3);
  const uploaded = await client.upload({ key: uploadKey, body: uploadBytes, partSize: 100 * KiB, parallel: 2 });
  const uploadRead = await (await client.getObject({ key: uploadKey })).bytes();
  assertSame(uploadRead, uploadBytes, 'upload() read back');
  sha256[uploadKey] = await sha256Hex(uploadRead);

  const listed = await client.listObjectsV2({ prefix });
  const keys = listed.contents.map((entry) => entry.key);
  const expectedKeys = [presignedKey, putKey, uploadKey].sort();
  if (JSON.stringify(keys) !== JSON.stringify(expectedKeys)) throw new Error(`listObjectsV2 listed ${JSON.stringify(keys)}`);

  const build = 'uploadFile' in client ? 'node' : 'browser';
  return { runtime, build, keys, sha256, uploadEtag: uploaded.etag, ...(putOut.crc64 !== undefined ? { putCrc64: putOut.crc64 } : {}) };
}
