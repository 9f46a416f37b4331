/**
 * `osskit/emulator`: a local OSS-compatible server for tests, demos and offline development.
 * It checks V1 and V4 signatures and answers as OSS does; storage is in memory or in `dataDir`.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_REGION } from '../defaults.js';
import type { Storage } from './context.js';
import { FaultController } from './faults.js';
import { EmulatorServer } from './server.js';
import { DiskStorage } from './storage-disk.js';
import { MemoryStorage } from './storage.js';
import { RequestStats } from './stats.js';
import type { IssueTemporaryCredentialsOptions, TemporaryCredentials } from './sts.js';

export { FaultController } from './faults.js';
export type { FaultDecision } from './faults.js';
export { RequestStats } from './stats.js';
export type { Storage } from './context.js';
export type { IssueTemporaryCredentialsOptions, TemporaryCredentials } from './sts.js';

export interface EmulatorCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface StartEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /**
   * Keep buckets and objects in this directory so they survive a restart. Default: memory only.
   * With a directory, object bytes are streamed to and from files (memory stays flat whatever the
   * object sizes) and every object write is atomic, even under kill -9.
   */
  dataDir?: string;
  /**
   * Largest object (or part) accepted, in bytes; a bigger upload is refused with 400 EntityTooLarge,
   * as OSS refuses one over its limits. Default: no limit. Without `dataDir` every object is held in
   * memory, so this also bounds what one upload can cost.
   * @example startEmulator({ maxObjectSize: 64 * 1024 * 1024 })
   */
  maxObjectSize?: number;
  /** Bare region id; V4 signatures must be scoped to it. Default `cn-hangzhou`. */
  region?: string;
  /** Accepted key pairs; one is generated when none are given. */
  credentials?: EmulatorCredentials[];
  /**
   * The emulator's clock, default the system clock. It judges signature dates (±15 min), URL and
   * temporary-credential expiry, and stamps objects; a test can move it forward to expire credentials
   * without waiting.
   */
  now?: () => Date;
  /**
   * How long RestoreObject of an Archive or ColdArchive object takes before the object can be read
   * (OSS takes minutes to hours). Default 1000 ms; tests pass 0 or a few ms.
   */
  restoreDelayMs?: number;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly region: string;
  /** The first accepted key pair. */
  readonly credentials: EmulatorCredentials;
  readonly port: number;
  readonly host: string;
  /** Injected failures for tests. */
  readonly faults: FaultController;
  /** Request counts per OSS operation. */
  readonly stats: RequestStats;
  /** The live storage, for tests that inspect or seed state. */
  readonly storage: Storage;
  /**
   * Issues temporary (STS) credentials, as STS AssumeRole would: an `STS.` key, its secret, a security
   * token and an expiration (default 900 s; shorter lifetimes are allowed for tests). Requests signed
   * with the key must carry the token, and are refused with `SecurityTokenExpired` after `expiration`.
   * @example
   * const sts = emu.issueTemporaryCredentials({ durationSeconds: 3600 });
   * const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: async () => sts });
   */
  issueTemporaryCredentials(options?: IssueTemporaryCredentialsOptions): TemporaryCredentials;
  close(): Promise<void>;
}

const FORM_OVERHEAD = 1024 * 1024;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/** A fresh key pair shaped like an Alibaba Cloud one (`LTAI…`, 30-character secret). */
export function generateCredentials(): EmulatorCredentials {
  return { accessKeyId: `LTAI${randomText(20)}`, accessKeySecret: randomText(30) };
}

/**
 * Starts the emulator.
 * @example
 * const emu = await startEmulator();
 * const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials });
 * await emu.close();
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const region = (options.region ?? DEFAULT_REGION).replace(/^oss-/, '');
  const pairs = options.credentials?.length ? options.credentials : [generateCredentials()];
  const { maxObjectSize } = options;
  if (maxObjectSize !== undefined && !(Number.isSafeInteger(maxObjectSize) && maxObjectSize >= 0)) {
    throw new TypeError('maxObjectSize must be a whole number of bytes');
  }
  const storage = options.dataDir ? new DiskStorage(options.dataDir, { maxObjectSize }) : new MemoryStorage({ maxObjectSize });
  const faults = new FaultController();
  const stats = new RequestStats();
  const server = new EmulatorServer({
    storage,
    region,
    credentials: new Map(pairs.map((p) => [p.accessKeyId, p.accessKeySecret])),
    faults,
    stats,
    now: options.now,
    // Bodies read whole (forms, XML) may carry a little more than the object they describe.
    maxBodySize: maxObjectSize === undefined ? undefined : maxObjectSize + FORM_OVERHEAD,
    restoreDelayMs: options.restoreDelayMs,
  });
  const port = await server.listen(options.port ?? 0, host);
  return {
    endpoint: server.env.endpoint,
    region,
    credentials: { ...pairs[0]! },
    port,
    host,
    faults,
    stats,
    storage,
    issueTemporaryCredentials: (issue) => server.temporaryCredentials.issue(issue),
    close: () => server.close(),
  };
}
