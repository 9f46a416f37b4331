// Runs one workload of a bench in its own `node` child, so each client's memory is measured alone.
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
