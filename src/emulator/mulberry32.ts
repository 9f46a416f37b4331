/**
 * mulberry32: a small deterministic generator of floats in [0, 1), so a seeded fault plan fails the
 * same requests every run. The tests draw their reproducible data from it too (test/helpers/prng.ts).
 *
 * @example const rand = mulberry32(7); rand(); // 0.… , the same every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
