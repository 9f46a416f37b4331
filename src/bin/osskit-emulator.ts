#!/usr/bin/env node
/**
 * `osskit-emulator`: runs the local OSS-compatible server from a shell.
 *
 *   osskit-emulator --port 9000 --data ./oss-data
 *   osskit-emulator --access-key-id LTAIdev --access-key-secret devsecret --region cn-shanghai
 *
 * Prints the endpoint and the credentials to use, and stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { type EmulatorCredentials, startEmulator } from '../emulator/index.js';

const USAGE = `Usage: osskit-emulator [options]
  --port <n>                   port to listen on (default 9000; 0 picks a free one)
  --host <addr>                address to bind (default 127.0.0.1)
  --data <dir>                 keep buckets and objects in this directory (default: memory only)
  --region <id>                region for V4 signatures (default cn-hangzhou)
  --access-key-id <id>         accepted AccessKeyId (default: generated)
  --access-key-secret <secret> its secret (default: generated)
  --max-object-size <size>     refuse bigger objects and parts with 400 EntityTooLarge, e.g. 64MiB
                               (bytes, or with KiB/MiB/GiB; default: no limit)

Set OSSKIT_EMULATOR_DEBUG=1 to log clients that go away mid-request (one line each).
  -h, --help                   show this help`;

const UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** `1048576`, `512KiB`, `64MiB`, `2GiB` → bytes; undefined when malformed. */
function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Number(m[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function fail(message: string): never {
  process.stderr.write(`osskit-emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        region: { type: 'string' },
        'access-key-id': { type: 'string' },
        'access-key-secret': { type: 'string' },
        'max-object-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 9000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${values.port}`);
  const id = values['access-key-id'];
  const secret = values['access-key-secret'];
  if ((id === undefined) !== (secret === undefined)) fail('--access-key-id and --access-key-secret go together');
  const credentials: EmulatorCredentials[] | undefined =
    id !== undefined && secret !== undefined ? [{ accessKeyId: id, accessKeySecret: secret }] : undefined;

  const sizeText = values['max-object-size'];
  const maxObjectSize = sizeText === undefined ? undefined : parseSize(sizeText);
  if (sizeText !== undefined && maxObjectSize === undefined) fail(`invalid --max-object-size ${sizeText}`);

  const emu = await startEmulator({ port, host: values.host, dataDir: values.data, region: values.region, credentials, maxObjectSize });
  // Handlers before the banner: whoever reads the banner may signal at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`received ${signal}, stopping\n`);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Printing the secret is the point here: it is the emulator's own (often generated) test key.
  process.stdout.write(
    [
      `osskit emulator listening on ${emu.endpoint}`,
      `region:            ${emu.region}`,
      `access key id:     ${emu.credentials.accessKeyId}`,
      `access key secret: ${emu.credentials.accessKeySecret}`,
      `storage:           ${values.data ?? 'memory'}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`osskit-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
