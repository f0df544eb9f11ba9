import { rmSync } from 'node:fs';
import { DEFAULT_PORT } from '../../src-shared/protocol/default-port';
import { describeStartError, parseCliArgs } from './cli-options';
import { startServer } from './index';

function fail(message: string): never {
  process.stderr.write(`localchat-server: ${message}\n`);
  process.exit(2);
}

/** The testing-mode database and SQLite's side files: nothing of the rooms stays on disk. */
function removeDatabase(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return;
  }
  if (parsed.kind === 'error') fail(parsed.message);
  const { options } = parsed;
  const host = options.host ?? '127.0.0.1';
  let server;
  try {
    server = await startServer({ ...options, log: (line) => console.log(line) });
  } catch (error) {
    fail(describeStartError(error, host, options.port ?? DEFAULT_PORT));
  }
  console.log(
    `LocalChat server on ${server.url} (certificate SHA-256 ${server.fingerprint})` +
      (server.webUrl ? `, web client ${server.webUrl}` : '') +
      (options.testingMode ? ', TESTING MODE: writing to disk' : ''),
  );
  // Ctrl-C through a wrapper (npm, tsx) often arrives twice: every signal joins the one
  // shutdown, none falls back to Node's default of dying before the testing file is removed.
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= server
      .close()
      .finally(() => options.testingMode && removeDatabase(options.testingMode.dbFile))
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
