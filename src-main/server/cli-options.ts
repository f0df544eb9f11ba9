import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DEFAULT_PORT } from '../../src-shared/protocol/default-port';
import type { ServerOptions } from './index';
import { newPathPrefix } from './transport/path-prefix';

export type CliParse =
  | { kind: 'run'; options: ServerOptions }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

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
  unjoinedClose?: number;
  testingMode?: string;
  web?: string | boolean;
  createLimit?: number;
  createLimitExemptLoopback?: boolean;
}

// The package's own build, wherever the server is started from: this module sits two levels
// below the package root both as source (src-main/server) and bundled (dist/server).
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

function seconds(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) {
    throw new InvalidArgumentError('expected a positive number of seconds');
  }
  return Number(value);
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    throw new InvalidArgumentError('expected a port number 0-65535');
  }
  return Number(value);
}

function count(value: string): number {
  if (!/^\d+$/.test(value) || !(Number(value) > 0) || Number(value) > 1_000_000) {
    throw new InvalidArgumentError('expected a whole number from 1 to 1000000');
  }
  return Number(value);
}

class CliError extends Error {}

function command(output: { out: string; err: string }): Command {
  return new Command()
    .name('npm run serve --')
    .description('Run the LocalChat room server alone (rooms live in memory only).')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', port, DEFAULT_PORT)
    .option(
      '--path-prefix <path>',
      'serve the web client only under this path (default with --web: a random secret one)',
    )
    .option('--cert <file>', 'TLS certificate (PEM); a self-signed one is generated when absent')
    .option('--key <file>', 'TLS private key (PEM), with --cert')
    .option('--purge-interval <seconds>', 'how often old messages are purged (default 5)', seconds)
    .option('--message-ttl <seconds>', 'delete messages older than this (default 600)', seconds)
    .option(
      '--notice-ttl <seconds>',
      'kick/ban/close notices expire after this (default 300)',
      seconds,
    )
    .option(
      '--idle-close <seconds>',
      'close rooms idle for longer than this (default 21600)',
      seconds,
    )
    .option(
      '--unjoined-close <seconds>',
      'close rooms nobody joined this long after creation (default 300)',
      seconds,
    )
    .option(
      '--create-limit <rooms>',
      'rooms one address may create per 10 minutes (default 10)',
      count,
    )
    .option(
      '--create-limit-exempt-loopback',
      'do not count rooms created from this machine (127.0.0.0/8, ::1): any local process is unlimited',
    )
    .option('--testing-mode <file>', 'TESTING ONLY: keep the database in FILE; joiners are warned')
    .option(
      '--web [dir]',
      "serve the built browser client from dir (default: the package's dist/renderer)",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => (output.out += text),
      writeErr: (text) => (output.err += text),
    });
}

/** Turns command-line arguments (without node and script) into server options. */
export function parseCliArgs(args: readonly string[]): CliParse {
  const output = { out: '', err: '' };
  const program = command(output);
  try {
    program.parse(args, { from: 'user' });
    return { kind: 'run', options: optionsFrom(program.opts<Flags>()) };
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') {
      return { kind: 'help', text: output.out };
    }
    if (error instanceof CommanderError || error instanceof CliError) {
      // Commander's messages already start with "error:"; keep only the first line.
      const message = error.message.split('\n')[0]!.replace(/^error: /, '');
      return { kind: 'error', message };
    }
    throw error;
  }
}

function optionsFrom(flags: Flags): ServerOptions {
  if (Boolean(flags.cert) !== Boolean(flags.key))
    throw new CliError('--cert and --key must be given together');
  const webDir = flags.web === true ? DEFAULT_WEB_DIR : flags.web || undefined;
  if (flags.pathPrefix !== undefined && !webDir) throw new CliError('--path-prefix needs --web');
  // Anything a browser would percent-encode never matches the path it sends: an unreachable page.
  if (flags.pathPrefix !== undefined && !/^[A-Za-z0-9._~/-]*$/.test(flags.pathPrefix))
    throw new CliError('--path-prefix: use only letters, digits, . _ ~ - and /');
  if (webDir) requirePage(webDir);
  const ms = (s: number | undefined) => (s === undefined ? undefined : Math.round(s * 1000));
  return {
    host: flags.host,
    port: flags.port,
    ...(flags.cert && flags.key
      ? { tls: { cert: readPem(flags.cert), key: readPem(flags.key) } }
      : {}),
    ...(flags.testingMode ? { testingMode: { dbFile: flags.testingMode } } : {}),
    ...(flags.purgeInterval ? { purgeIntervalMs: ms(flags.purgeInterval) } : {}),
    ...(flags.messageTtl ? { messageMaxAgeMs: ms(flags.messageTtl) } : {}),
    ...(flags.noticeTtl ? { noticeMaxAgeMs: ms(flags.noticeTtl) } : {}),
    ...(flags.idleClose ? { idleRoomMs: ms(flags.idleClose) } : {}),
    ...(flags.unjoinedClose ? { unjoinedRoomMs: ms(flags.unjoinedClose) } : {}),
    ...(flags.createLimit || flags.createLimitExemptLoopback
      ? {
          createThrottle: {
            ...(flags.createLimit ? { perAddress: flags.createLimit } : {}),
            ...(flags.createLimitExemptLoopback ? { exemptLoopback: true } : {}),
          },
        }
      : {}),
    // A page at a guessable path is open to anyone who can reach the port; the random default
    // also keeps the secret out of the command line (ps, npm's debug log).
    ...(webDir ? { web: { dir: webDir, pathPrefix: flags.pathPrefix ?? newPathPrefix() } } : {}),
  };
}

/** A --web directory without the page would be advertised as an address that only answers 404. */
function requirePage(dir: string): void {
  const hint = dir === DEFAULT_WEB_DIR ? ' (build it first: npm run build:renderer)' : '';
  let isFile = false;
  try {
    isFile = statSync(path.join(dir, 'index.html')).isFile();
  } catch {
    // Missing or unreadable: the same answer.
  }
  if (!isFile) throw new CliError(`--web: no index.html in ${dir}${hint}`);
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
}

const START_ERRORS: Record<string, string> = {
  EADDRINUSE: 'port already in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  EACCES: 'not allowed to bind this port',
  ENOTFOUND: 'the host name cannot be resolved to an address',
  EAI_AGAIN: 'the host name cannot be resolved (no answer from DNS)',
};

/** One line saying why startServer failed, by the error's code. */
export function describeStartError(error: unknown, host: string, portNumber: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    (typeof code === 'string' ? START_ERRORS[code] : undefined) ??
    (error instanceof Error ? error.message.split('\n')[0] : 'unknown error');
  return `cannot start on ${host}:${portNumber}: ${reason}`;
}
