import { fork, type ChildProcess } from 'node:child_process';
import type { ServerOptions } from '../../src-main/server/index';
import { hasType, nextMessage } from './child-process';
import type { Endpoint } from './client';
import { bundleServerChild } from './server-bundle';

/** What the server child is started with (JSON on its command line). */
export interface ServerChildSetup {
  /** startServer options; the child always binds 127.0.0.1 on an ephemeral port. */
  server?: Pick<ServerOptions, 'purgeIntervalMs' | 'messageMaxAgeMs'>;
}

/** `gc`: collect garbage first (the child runs with --expose-gc), to see what is live. */
export type ServerChildRequest = { type: 'stats'; gc?: boolean } | { type: 'close' };
export type ServerChildReply =
  | { type: 'ready'; url: string; certificatePem: string }
  | {
      type: 'stats';
      rss: number;
      heapTotal: number;
      heapUsed: number;
      external: number;
      cpuMs: number;
    };

export type ServerStats = Omit<Extract<ServerChildReply, { type: 'stats' }>, 'type'>;

export interface ServerProcessOptions extends ServerChildSetup {
  /** Run floor-child.ts (bare node:https, fixed answer) instead of the room server. */
  floor?: boolean;
  /** Cache argon2 results for repeated passwords (see argon2-memo.ts). */
  memoizePasswordHashes?: boolean;
  /** Directory to write a V8 CPU profile of the server into (node --cpu-prof). */
  cpuProfileDir?: string;
  /** More Node flags for the server process, e.g. --max-semi-space-size=1. */
  nodeFlags?: string[];
  /** More environment for the server process, e.g. MALLOC_ARENA_MAX=2. */
  env?: Record<string, string>;
}

/** The room server running in a child process of its own. */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: Endpoint,
  ) {}

  static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const profiling = options.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
      : [];
    const bundle = await bundleServerChild({
      kind: options.floor ? 'floor' : 'room',
      memoizePasswordHashes: options.memoizePasswordHashes ?? false,
    });
    const setup: ServerChildSetup = { server: options.server };
    const child = fork(bundle, [JSON.stringify(setup)], {
      execArgv: ['--expose-gc', ...profiling, ...(options.nodeFlags ?? [])],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await nextMessage(
      child,
      hasType('ready')<Extract<ServerChildReply, { type: 'ready' }>>,
    );
    return new ServerProcess(child, { url: ready.url, certificatePem: ready.certificatePem });
  }

  async stats(options: { gc?: boolean } = {}): Promise<ServerStats> {
    const reply = nextMessage(
      this.child,
      hasType('stats')<Extract<ServerChildReply, { type: 'stats' }>>,
    );
    this.child.send({ type: 'stats', gc: options.gc } satisfies ServerChildRequest);
    const { rss, heapTotal, heapUsed, external, cpuMs } = await reply;
    return { rss, heapTotal, heapUsed, external, cpuMs };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies ServerChildRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
