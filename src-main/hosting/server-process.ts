import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateCertificate, namesForHost } from '../server/transport/certificate';
import type { RunningServer, StartServer } from './hosting';

/**
 * The room server in a process of its own, behind the same StartServer as the in-process one:
 * a flood of requests then loads that process, never the app's main event loop (its IPC, menus
 * and windows). Electron's utilityProcess in the app, child_process.fork under Node; both
 * run server-child.ts (bundled as room-server.js next to main.js). A server process that dies
 * is started again on the same address, port, certificate and path, without its rooms, and
 * `onRestart` says so.
 */

export type ServerStartOptions = Parameters<StartServer>[0];

/** How long a server process has to close (answer held polls, free the port) before it is killed. */
const CLOSE_MS = 5_000;

/** What the parent sends the server process. */
export type ToServer =
  { type: 'start'; options: Omit<ServerStartOptions, 'log'> } | { type: 'close' };

/** What the server process sends back. */
export type FromServer =
  | { type: 'ready'; port: number; fingerprint: string; webUrl?: string }
  | { type: 'failed'; code?: string; message: string }
  | { type: 'log'; line: string }
  | { type: 'closed' };

/** One server process, as both kinds of spawned process look from here. */
export interface ServerProcess {
  send(message: ToServer): void;
  onMessage(listener: (message: FromServer) => void): void;
  /** Once, when the process is gone (exit code, or null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnServerProcess = (entry: string) => ServerProcess;

/** The module the server process runs: the source under tsx and vitest, the bundle otherwise. */
export function serverEntry(from: string = import.meta.url): string {
  return fileURLToPath(
    new URL(from.endsWith('.ts') ? './server-child.ts' : './room-server.js', from),
  );
}

/** child_process.fork, for tests, the bench and anything that runs under plain Node. */
export const forkNodeServerProcess: SpawnServerProcess = (entry) => {
  const child = fork(entry, [], {
    // The source needs tsx to run; the bundle does not.
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as FromServer)),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => child.kill('SIGKILL'),
  };
};

export interface ServerProcessOptions {
  spawn: SpawnServerProcess;
  entry?: string;
  /** The server died and was started again (without its rooms), or could not be. */
  onRestart?: (event: { restarted: boolean; reason: string }) => void;
}

/** A StartServer that runs each server in a process of its own. */
export function serverInProcessOf(options: ServerProcessOptions): StartServer {
  const entry = options.entry ?? serverEntry();
  return async (start) => {
    const { log, ...rest } = start;
    // Made here rather than by the server, so a restarted server keeps the certificate (and
    // the fingerprint participants pinned).
    const tls = rest.tls ?? (await selfSignedFor(rest.host));
    const supervised = new SupervisedServer(entry, { ...rest, tls }, log, options);
    return supervised.start();
  };
}

async function selfSignedFor(host: string): Promise<{ key: string; cert: string }> {
  const { hostnames, ips } = namesForHost(host);
  const { key, cert } = await generateCertificate(hostnames, ips);
  return { key, cert };
}

class SupervisedServer implements RunningServer {
  webUrl?: string;
  port = 0;
  fingerprint = '';
  private child: ServerProcess | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly entry: string,
    private readonly startOptions: Omit<ServerStartOptions, 'log'>,
    private readonly log: ((line: string) => void) | undefined,
    private readonly options: ServerProcessOptions,
  ) {}

  async start(): Promise<this> {
    await this.launch(this.startOptions);
    return this;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const child = this.child;
      if (!child) return resolve();
      // A server that does not close in time is ended: quitting the app must not hang on it.
      const deadline = setTimeout(() => child.kill(), CLOSE_MS);
      child.onExit(() => {
        clearTimeout(deadline);
        resolve();
      });
      child.onMessage((m) => {
        if (m.type === 'closed') child.kill();
      });
      child.send({ type: 'close' });
    });
    return this.closing;
  }

  /** Starts a process and resolves once its server listens; rejects with the listen error. */
  private launch(startOptions: Omit<ServerStartOptions, 'log'>): Promise<ServerProcess> {
    return new Promise((resolve, reject) => {
      const child = this.options.spawn(this.entry);
      let ready = false;
      child.onMessage((message) => {
        if (message.type === 'log') this.log?.(message.line);
        else if (message.type === 'ready') {
          ready = true;
          this.child = child;
          this.port = message.port;
          this.fingerprint = message.fingerprint;
          this.webUrl = message.webUrl;
          resolve(child);
        } else if (message.type === 'failed') {
          child.kill();
          // With the listen error's code (EADDRINUSE...), which Hosting turns into advice.
          reject(Object.assign(new Error(message.message), { code: message.code }));
        }
      });
      child.onExit((code) => {
        if (!ready) return reject(new Error(`The room server process ended (code ${code})`));
        if (this.closing || this.child !== child) return;
        void this.restart(`the room server process ended (code ${code})`);
      });
      child.send({ type: 'start', options: startOptions });
    });
  }

  /** Same address, port (the one it got), certificate and path: links and pins still work. */
  private async restart(reason: string): Promise<void> {
    this.child = undefined;
    this.log?.(`${reason}; starting it again, without its rooms`);
    try {
      const child = await this.launch({ ...this.startOptions, port: this.port });
      if (this.closing) return child.kill();
      this.options.onRestart?.({ restarted: true, reason });
    } catch (error) {
      this.options.onRestart?.({
        restarted: false,
        reason: `${reason}, and it could not start again: ${(error as Error).message}`,
      });
    }
  }
}
