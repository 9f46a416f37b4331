/**
 * The tests' seeded random data, so a failing random case replays the same way every run. The
 * generator is the emulator's (src/emulator/mulberry32.ts, also behind seeded fault plans).
 */

import { mulberry32 } from '../../src/emulator/mulberry32.js';

export { mulberry32 };

/**
 * `size` pseudo-random bytes: from a fresh generator seeded with `source`, or drawn from the
 * generator `source` (so several calls continue one reproducible stream).
 * @example const a = randomBytes(1024, 7); const rand = mulberry32(1); const b = randomBytes(10, rand);
 */
export function randomBytes(size: number, source: number | (() => number) = 1): Uint8Array<ArrayBuffer> {
  const rand = typeof source === 'number' ? mulberry32(source) : source;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(rand() * 256);
  return out;
}
