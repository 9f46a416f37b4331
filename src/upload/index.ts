/** The managed uploader's public API (browser-safe). Node adds `uploadFile` and file checkpoints (index.node.ts). */
export { upload, uploadSource, type UploadInput, type UploadSource } from './upload.js';
export type {
  UploadApi,
  UploadEnv,
  UploadHeadObjectInput,
  UploadHeadObjectOutput,
  UploadOptions,
  UploadOutput,
  UploadPutObjectInput,
  UploadPutObjectOutput,
} from './upload-api.js';
export type { UploadProgress, UploadProgressListener, UploadStage } from './progress.js';
export { resolvePartSize, partsOf, type Part, type UploadBody } from './parts.js';
export {
  CHECKPOINT_VERSION,
  checkpointId,
  openCheckpoint,
  sealCheckpoint,
  type CheckpointPart,
  type CheckpointRecord,
  type CheckpointStore,
  type SourceIdentity,
} from './checkpoint.js';
export { fingerprintBlob, fingerprintBytes } from './fingerprint.js';
export { createIndexedDbCheckpointStore, browserCheckpointStore, type IndexedDbCheckpointStoreOptions } from './checkpoint-idb.js';
