import { describeStartError, parseCliArgs } from './cli-options';
import { startServer } from './index';

function fail(message: string): never {
  process.stderr.write(`localchat-server: ${message}\n`);
  process.exit(2);
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
    fail(describeStartError(error, host, options.port ?? 8090));
  }
  console.log(
    `LocalChat server on ${server.url} (certificate SHA-256 ${server.fingerprint})` +
      (server.webUrl ? `, web client ${server.webUrl}` : '') +
      (options.testingMode ? ', TESTING MODE: writing to disk' : ''),
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
