/** The multipart commands (one file each) and their paginators. */
export * from './initiate-multipart-upload.js';
export * from './upload-part.js';
export * from './upload-part-copy.js';
export * from './complete-multipart-upload.js';
export * from './abort-multipart-upload.js';
export * from './list-parts.js';
export * from './list-multipart-uploads.js';
export * from './paginators.js';
