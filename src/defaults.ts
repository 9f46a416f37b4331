/** Named limits and defaults, in one place. */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Managed upload. */
export const DEFAULT_PART_SIZE = 8 * MiB;
export const MIN_PART_SIZE = 100 * KiB;
export const MAX_PART_SIZE = 5 * GiB;
export const MAX_PARTS = 10_000;
export const DEFAULT_PARALLEL = 4;

/** Keys are 1–1023 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1023;

/** Presigning. */
export const DEFAULT_PRESIGN_EXPIRES = 900;
/** V4 presigned URLs and post policies live at most 7 days (docs/protocol.md, "Presigned URLs"). */
export const MAX_V4_EXPIRES = 604_800;

/** Requests. */
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_TIMEOUT_MS = 60_000;
export const RETRY_BASE_DELAY_MS = 100;
export const RETRY_MAX_DELAY_MS = 5_000;

/** Callbacks: at most 5 URLs and 5 KB encoded (docs/protocol.md, "Upload callbacks"). */
export const MAX_CALLBACK_URLS = 5;
export const MAX_CALLBACK_BYTES = 5 * 1024;

/** The server tolerates 15 minutes of clock skew. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export const DEFAULT_REGION = 'cn-hangzhou';
