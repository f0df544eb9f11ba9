import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { startServer, type ServerOptions } from './index';

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0))
    throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535)
    throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

interface Flags {
  host: string;
  port: number;
  pathPrefix?: string;
  cert?: string;
  key?: string;
  purgeInterval?: number;
  messageTtl?: number;
  noticeTtl?: number;
  idleClose?: number;
  testingMode?: string;
  web?: string | boolean;
}

const program = new Command()
  .name('localchat-server')
  .description('Run the LocalChat room server alone (rooms live in memory only).')
  .option('--host <address>', 'address to bind', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 = any free port)', port, 8090)
  .option('--path-prefix <path>', 'serve the web client only under this (secret) path')
  .option('--cert <file>', 'TLS certificate (PEM); a self-signed one is generated when absent')
  .option('--key <file>', 'TLS private key (PEM), with --cert')
  .option('--purge-interval <seconds>', 'how often old messages are purged', seconds)
  .option('--message-ttl <seconds>', 'delete messages older than this', seconds)
  .option('--notice-ttl <seconds>', 'kick/ban/close notices expire after this', seconds)
  .option('--idle-close <seconds>', 'close rooms idle for longer than this', seconds)
  .option('--testing-mode <file>', 'TESTING ONLY: keep the database in FILE; joiners are warned')
  .option('--web [dir]', 'serve the built browser client from dir (default dist/renderer)')
  .showHelpAfterError(false)
  .configureOutput({ outputError: (text, write) => write(`${text.trim().split('\n')[0]}\n`) })
  .exitOverride();

function fail(message: string): never {
  process.stderr.write(`localchat-server: ${message}\n`);
  process.exit(2);
}

function optionsFrom(flags: Flags): ServerOptions {
  if (Boolean(flags.cert) !== Boolean(flags.key)) fail('--cert and --key must be given together');
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return fail(`cannot read ${file}`);
    }
  };
  const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
  const webDir = flags.web === true ? 'dist/renderer' : flags.web || undefined;
  if (flags.pathPrefix !== undefined && !webDir) fail('--path-prefix needs --web');
  return {
    host: flags.host,
    port: flags.port,
    ...(flags.cert && flags.key ? { tls: { cert: read(flags.cert), key: read(flags.key) } } : {}),
    ...(flags.testingMode ? { testingMode: { dbFile: flags.testingMode } } : {}),
    purgeIntervalMs: ms(flags.purgeInterval),
    messageMaxAgeMs: ms(flags.messageTtl),
    noticeMaxAgeMs: ms(flags.noticeTtl),
    idleRoomMs: ms(flags.idleClose),
    ...(webDir ? { web: { dir: webDir, pathPrefix: flags.pathPrefix } } : {}),
  };
}

const START_ERRORS: Record<string, string> = {
  EADDRINUSE: 'port already in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  EACCES: 'not allowed to bind this port',
};

async function main(): Promise<void> {
  try {
    program.parse(process.argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    process.exit(code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2);
  }
  const options = optionsFrom(program.opts<Flags>());
  let server;
  try {
    server = await startServer({ ...options, log: (line) => console.log(line) });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    fail(
      `cannot start: ${START_ERRORS[code] ?? (error instanceof Error ? error.message : 'unknown error')} (${options.host}:${options.port})`,
    );
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
