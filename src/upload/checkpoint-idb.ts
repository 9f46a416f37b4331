/**
 * Checkpoint records in IndexedDB (browsers). The record id comes from the bucket, key and file
 * name, and the record carries the File's size, lastModified and sampled fingerprint, so a user who
 * re-selects the same file after a reload resumes. `lock()` keeps two tabs from uploading the same
 * file at once: a Web Lock where available, else a lock record kept fresh by a heartbeat.
 */
import { OssClientError } from '../errors.js';
import type { CheckpointRecord, CheckpointStore } from './checkpoint.js';

export const IDB_DEFAULT_DATABASE = 'osskit-upload';
const RECORDS = 'checkpoints';
const LOCKS = 'locks';
/** A lock record older than this is a tab that closed or crashed. */
export const IDB_LOCK_STALE_MS = 15_000;
const HEARTBEAT_MS = 5_000;

/**
 * An IndexedDB factory such as the global `indexedDB`. Written structurally so that the package's
 * declarations need no DOM library; the store uses it as the DOM's `IDBFactory`.
 */
export interface IndexedDbFactory {
  open(name: string, version?: number): unknown;
}

/** A Web Locks manager such as `navigator.locks`, described by the one call the store makes. */
export interface WebLockManager {
  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

export interface IndexedDbCheckpointStoreOptions {
  /** Database name (default `osskit-upload`). */
  database?: string;
  /** The IndexedDB factory (default the global `indexedDB`). */
  indexedDB?: IndexedDbFactory;
  /** Web Locks (default `navigator.locks` when present); `null` forces the lock-record fallback. */
  locks?: WebLockManager | null;
}

/**
 * @example
 * await client.upload({ key: file.name, body: file, checkpoint: createIndexedDbCheckpointStore() });
 */
export function createIndexedDbCheckpointStore(options: IndexedDbCheckpointStoreOptions = {}): CheckpointStore {
  const factory = (options.indexedDB ?? (typeof indexedDB === 'undefined' ? undefined : indexedDB)) as IDBFactory | undefined;
  const locks = options.locks === undefined ? (typeof navigator === 'undefined' ? undefined : navigator.locks) : options.locks;
  const name = options.database ?? IDB_DEFAULT_DATABASE;
  let db: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new OssClientError('InvalidArgument', 'IndexedDB is not available here; pass a CheckpointStore'));
    db ??= request(() => {
      const req = factory.open(name, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(RECORDS);
        req.result.createObjectStore(LOCKS);
      };
      return req;
    });
    return db;
  };
  const run = async <T>(store: string, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const database = await open();
    return request(() => work(database.transaction(store, mode).objectStore(store)));
  };

  return {
    async load(id) {
      return run(RECORDS, 'readonly', (s) => s.get(id) as IDBRequest<unknown>);
    },
    async save(id, record: CheckpointRecord) {
      await run(RECORDS, 'readwrite', (s) => s.put(record, id));
    },
    async remove(id) {
      await run(RECORDS, 'readwrite', (s) => s.delete(id));
    },
    async lock(id) {
      if (locks) return webLock(locks, `${name}:${id}`);
      return recordLock(await open(), id);
    },
  };
}

/** The browser's `checkpoint: true | '<name>'`: IndexedDB, with a string naming the database. */
export function browserCheckpointStore(spec: true | string): CheckpointStore {
  return createIndexedDbCheckpointStore(spec === true ? {} : { database: spec });
}

function busy(): OssClientError {
  return new OssClientError('InvalidArgument', 'this file is already being uploaded (another tab holds its checkpoint)');
}

/** Holds a Web Lock until released; refuses at once if another tab holds it. */
function webLock(locks: WebLockManager, name: string): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          reject(busy());
          return undefined;
        }
        resolve(async () => release());
        return held;
      })
      .catch(reject);
  });
}

/** Fallback: a lock record with an owner and a heartbeat, checked and written in one transaction. */
async function recordLock(db: IDBDatabase, id: string): Promise<() => Promise<void>> {
  const owner = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const claim = (): Promise<boolean> =>
    new Promise((resolve, reject) => {
      const tx = db.transaction(LOCKS, 'readwrite');
      const store = tx.objectStore(LOCKS);
      let ok = false;
      const get = store.get(id);
      get.onsuccess = () => {
        const current = get.result as { owner: string; heartbeat: number } | undefined;
        const free = !current || current.owner === owner || Date.now() - current.heartbeat > IDB_LOCK_STALE_MS;
        if (free) {
          store.put({ owner, heartbeat: Date.now() }, id);
          ok = true;
        }
      };
      tx.oncomplete = () => resolve(ok);
      tx.onerror = () => reject(tx.error);
    });
  if (!(await claim())) throw busy();
  const timer = setInterval(() => void claim().catch(() => undefined), HEARTBEAT_MS);
  return async () => {
    clearInterval(timer);
    await new Promise<void>((resolve) => {
      const tx = db.transaction(LOCKS, 'readwrite');
      const store = tx.objectStore(LOCKS);
      const get = store.get(id);
      get.onsuccess = () => {
        if ((get.result as { owner?: string } | undefined)?.owner === owner) store.delete(id);
      };
      tx.oncomplete = () => resolve();
      tx.onerror = () => resolve();
    });
  };
}

function request<T>(make: () => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = make();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
