/** The bucket commands: one file each, plus the table of look-alike configurations. */
export * from './list-buckets.js';
export * from './put-bucket.js';
export * from './delete-bucket.js';
export * from './get-bucket-info.js';
export * from './get-bucket-location.js';
export * from './subresources.js';
export * from './bucket-acl.js';
export * from './get-bucket-stat.js';
