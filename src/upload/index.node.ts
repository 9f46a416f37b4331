/** Node-only parts of the uploader: files read by range, checkpoints as files. */
export { uploadFile, fileParts, type UploadFileInput } from './upload-file.node.js';
export { createFileCheckpointStore, createSingleFileCheckpointStore, nodeCheckpointStore } from './checkpoint-file.node.js';
