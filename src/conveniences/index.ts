/** Conveniences built from the commands: objectExists, deleteObjects, getObjectUrl. */
export * from './object-exists.js';
export * from './delete-objects.js';
export * from './object-url.js';
