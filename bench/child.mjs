// Shared helpers of the benches: one workload per `node` child (so each client's memory is its
// own), alternating rounds, medians, and a peak-RSS sampler.
import { spawn } from 'node:child_process';

/**
 * Re-runs `script` as `node script child <config JSON>` and resolves with the last JSON line the
 * child printed.
 */
export function runChild(script, config) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [script, 'child', JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${config.lib} child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

/**
 * Runs every lib `rounds` times, the order rotated each round (so none always goes first, or
 * always runs on a warmer machine); returns { lib: [result, …] }.
 */
export async function alternate(libs, rounds, run) {
  const results = Object.fromEntries(libs.map((lib) => [lib, []]));
  for (let round = 0; round < rounds; round++) {
    const order = libs.map((_, i) => libs[(i + round) % libs.length]);
    if (round % 2) order.reverse();
    for (const lib of order) results[lib].push(await run(lib, round));
  }
  return results;
}

/** The median (the mean of the middle two for an even count). */
export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of one field over a lib's runs. */
export function med(runs, field) {
  return median(runs.map((r) => r[field]));
}

/**
 * Samples this process's RSS every 5 ms. Sampled, not getrusage's maxRSS: Linux carries ru_maxrss
 * across exec, so a child would report its parent's peak (an emulator's) when that is higher.
 */
export function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024;
    },
  };
}

export function round(n, digits = 2) {
  if (n === undefined || n === null || !Number.isFinite(n)) return undefined;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
