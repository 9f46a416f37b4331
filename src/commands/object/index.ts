/** The object commands (one file each). */
export * from './put-object.js';
export * from './get-object.js';
export * from './head-object.js';
export * from './get-object-meta.js';
export * from './delete-object.js';
export * from './delete-multiple-objects.js';
export * from './copy-object.js';
export * from './list-objects-v2.js';
export * from './list-objects.js';
export type { ListedObject } from './list-common.js';
export type { ObjectHead } from './headers.js';
export type { ObjectConditions } from '../shared.js';
export * from './select-object.js';
export * from './create-select-object-meta.js';
