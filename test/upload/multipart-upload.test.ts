/**
 * src/upload/multipart-upload.ts: what a multipart upload leaves behind when it ends — on the
 * caller's signal (no listener outlives the call) and on OSS or in the checkpoint store (a
 * completed object is neither aborted nor resumed, even when its callback failed).
 */
import { describe, expect, it } from 'vitest';
import { KiB } from '../../src/defaults.js';
import { OssError } from '../../src/errors.js';
import { upload } from '../../src/upload/upload.js';
import { randomBytes } from '../helpers/prng.js';
import { FakeApi, memoryStore, sameBytes } from './fake-api.js';

const partSize = 100 * KiB;
const env = { bucket: 'b', retryBaseDelayMs: 0 };

/** A live signal that tracks which abort listeners are attached to it right now. */
function watchedSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const listeners = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: AddEventListenerOptions) => {
    if (type === 'abort') listeners.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject, options?: EventListenerOptions) => {
    if (type === 'abort') listeners.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { controller, signal, listeners };
}

const callbackFailed = () => new OssError({ code: 'CallbackFailed', status: 203, message: 'Error status : 500.' });

describe('multipart upload: listeners on the caller signal', () => {
  it('removes its abort listener when InitiateMultipartUpload is refused', async () => {
    const api = new FakeApi();
    api.hooks.beforeInitiate = () => {
      throw new OssError({ code: 'AccessDenied', status: 403, message: 'denied' });
    };
    const { signal, listeners } = watchedSignal();
    const error = await upload(api, { key: 'k', body: randomBytes(3 * partSize), partSize, signal }, env).catch((e) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error.code).toBe('AccessDenied');
    expect(api.calls.InitiateMultipartUpload).toBe(1);
    expect(listeners.size).toBe(0);
  });

  it('removes it when a checkpointed initiate fails, and when resuming fails (ListParts refused)', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const body = randomBytes(3 * partSize);
    api.hooks.beforeInitiate = () => {
      throw new OssError({ code: 'InternalError', status: 500, message: 'boom' });
    };
    const first = watchedSignal();
    expect((await upload(api, { key: 'k', body, partSize, signal: first.signal, checkpoint: store }, env).catch((e) => e)).code).toBe(
      'InternalError',
    );
    expect(first.listeners.size).toBe(0);

    // Leave a checkpoint behind (a cancelled run), then fail the ListParts that resuming starts with.
    api.hooks = {
      beforePart: async (input) => {
        if (input.partNumber === 2) {
          cancel.controller.abort();
          await new Promise(() => undefined);
        }
      },
    };
    const cancel = watchedSignal();
    await upload(api, { key: 'k', body, partSize, parallel: 1, signal: cancel.signal, checkpoint: store }, env).catch(() => undefined);
    expect(store.records.size).toBe(1);
    api.hooks = {};
    api.listParts = async () => {
      throw new OssError({ code: 'AccessDenied', status: 403, message: 'denied' });
    };
    const resume = watchedSignal();
    const error = await upload(api, { key: 'k', body, partSize, signal: resume.signal, checkpoint: store }, env).catch((e) => e);
    expect(error.code).toBe('AccessDenied');
    expect(resume.listeners.size).toBe(0);
  });

  it('leaves none after success, a failed part or a failed completion, with many uploads on one signal', async () => {
    const { signal, listeners } = watchedSignal();
    const ok = new FakeApi();
    for (let i = 0; i < 3; i++) await upload(ok, { key: `k${i}`, body: randomBytes(2 * partSize + 1), partSize, signal }, env);
    const badPart = new FakeApi();
    badPart.hooks.beforePart = (input) => {
      if (input.partNumber === 2) throw new OssError({ code: 'AccessDenied', status: 403, message: 'no' });
    };
    await upload(badPart, { key: 'k', body: randomBytes(3 * partSize), partSize, signal }, env).catch(() => undefined);
    const badComplete = new FakeApi();
    badComplete.hooks.afterComplete = () => {
      throw callbackFailed();
    };
    await upload(badComplete, { key: 'k', body: randomBytes(3 * partSize), partSize, signal }, env).catch(() => undefined);
    expect(badPart.calls.AbortMultipartUpload).toBe(1);
    expect(listeners.size).toBe(0);
  });

  it('still cancels through the signal it listens on', async () => {
    const api = new FakeApi();
    const { controller, signal, listeners } = watchedSignal();
    api.hooks.beforePart = async (input) => {
      if (input.partNumber === 2) {
        controller.abort();
        await new Promise(() => undefined);
      }
    };
    const error = await upload(api, { key: 'k', body: randomBytes(4 * partSize), partSize, parallel: 1, signal }, env).catch((e) => e);
    expect(error.code).toBe('Aborted');
    expect(api.aborted).toHaveLength(1);
    expect(listeners.size).toBe(0);
  });
});

describe('multipart upload: a completion whose callback failed (203 CallbackFailed)', () => {
  it('removes the checkpoint, aborts nothing and rethrows: the object is stored', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    api.hooks.afterComplete = () => {
      throw callbackFailed();
    };
    const data = randomBytes(3 * partSize + 5);
    const callback = { url: 'http://app.example/cb', body: 'object=${object}' };
    const error = await upload(api, { key: 'k', body: data, partSize, checkpoint: store, callback }, env).catch((e) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error.code).toBe('CallbackFailed');
    expect(error.status).toBe(203);
    expect(store.records.size).toBe(0);
    expect(api.calls.AbortMultipartUpload).toBeUndefined();
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);

    // The next run starts afresh instead of resuming a spent upload id.
    api.hooks = {};
    await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env);
    expect(api.calls.InitiateMultipartUpload).toBe(2);
    expect(api.calls.ListParts).toBeUndefined();
  });

  it('does not abort the completed upload when no checkpoint is kept', async () => {
    const api = new FakeApi();
    api.hooks.afterComplete = () => {
      throw callbackFailed();
    };
    const error = await upload(api, { key: 'k', body: randomBytes(2 * partSize + 1), partSize }, env).catch((e) => e);
    expect(error.code).toBe('CallbackFailed');
    expect(api.calls.AbortMultipartUpload).toBeUndefined();
  });

  it('other completion failures still keep the checkpoint, or abort without one', async () => {
    const failing = () => {
      throw new OssError({ code: 'InvalidPart', status: 400, message: 'bad part' });
    };
    const kept = new FakeApi();
    const store = memoryStore();
    kept.hooks.beforeComplete = failing;
    expect((await upload(kept, { key: 'k', body: randomBytes(3 * partSize), partSize, checkpoint: store }, env).catch((e) => e)).code).toBe(
      'InvalidPart',
    );
    expect(store.records.size).toBe(1);
    expect(kept.calls.AbortMultipartUpload).toBeUndefined();

    const aborted = new FakeApi();
    aborted.hooks.beforeComplete = failing;
    expect((await upload(aborted, { key: 'k', body: randomBytes(3 * partSize), partSize }, env).catch((e) => e)).code).toBe('InvalidPart');
    expect(aborted.calls.AbortMultipartUpload).toBe(1);
  });

  it("a completed object with the wrong CRC-64 is reported, and the spent upload is not aborted", async () => {
    const api = new FakeApi();
    const store = memoryStore();
    api.hooks.objectCrc = () => '1';
    const error = await upload(api, { key: 'k', body: randomBytes(3 * partSize), partSize, checkpoint: store }, env).catch((e) => e);
    expect(error.code).toBe('CrcMismatch');
    expect(store.records.size).toBe(0);
    const again = await upload(api, { key: 'k', body: randomBytes(3 * partSize), partSize }, env).catch((e) => e);
    expect(again.code).toBe('CrcMismatch');
    expect(api.calls.AbortMultipartUpload).toBeUndefined();
  });
});
