import type {
  HostingError,
  HostingStartOptions,
  HostingStartResult,
  HostingStatus,
  KeptCertificateInfo,
} from '../../src-shared/ipc/contract';
import type { Certificate } from '../server/transport/certificate';
import { newPathPrefix } from '../server/transport/path-prefix';
import { DEFAULT_PORT } from '../../src-shared/protocol/default-port';
import { serverUrl } from './interfaces';
import { KeychainUnavailableError, type KeptCertificate } from './kept-certificate';

/** What hosting needs from the room server (src-main/server/index.ts's startServer). */
export interface RunningServer {
  webUrl?: string;
  port: number;
  fingerprint: string;
  close(): Promise<void>;
}
export type StartServer = (options: {
  host: string;
  port: number;
  tls?: { key: string; cert: string };
  web?: { dir: string; pathPrefix: string };
  log?: (line: string) => void;
}) => Promise<RunningServer>;

export interface HostingDependencies {
  startServer: StartServer;
  /** Makes the certificate to keep; a per-session certificate is left to the server. */
  generateCertificate: () => Promise<Certificate>;
  keptCertificate: KeptCertificate;
  /** The built renderer (dist/renderer), served to browsers when asked. */
  webDir: string;
  log?: (line: string) => void;
}

/**
 * Hosting one room server from the app: at most one at a time, on one chosen interface address.
 * Everything the rooms hold lives in that server's memory, so stopping it destroys them.
 */
export class Hosting {
  private running: { server: RunningServer; status: HostingStatus } | null = null;
  private busy: Promise<unknown> | null = null;

  constructor(private readonly deps: HostingDependencies) {}

  status(): HostingStatus | null {
    return this.running?.status ?? null;
  }

  start(options: HostingStartOptions): Promise<HostingStartResult> {
    if (this.running || this.busy) {
      return Promise.resolve(
        failure('already-hosting', 'A room server is already running: stop it first.'),
      );
    }
    return this.exclusive(() => this.doStart(options));
  }

  /** Stops the server (all rooms and messages go with it). Safe to call when not hosting. */
  async stop(): Promise<void> {
    if (this.busy) await this.busy.catch(() => {});
    const running = this.running;
    if (!running) return;
    this.running = null;
    await running.server.close();
  }

  async certificateInfo(): Promise<KeptCertificateInfo> {
    const kept = await this.deps.keptCertificate.load();
    return {
      kept: kept !== null,
      ...(kept ? { fingerprint: kept.fingerprint } : {}),
      encryptionAvailable: this.deps.keptCertificate.encryptionAvailable,
    };
  }

  async forgetCertificate(): Promise<void> {
    await this.deps.keptCertificate.forget();
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = work();
    this.busy = run;
    try {
      return await run;
    } finally {
      this.busy = null;
    }
  }

  private async doStart(options: HostingStartOptions): Promise<HostingStartResult> {
    const { address } = options;
    const port = options.port ?? DEFAULT_PORT;
    let tls: Certificate | undefined;
    if (options.keepCertificate) {
      try {
        tls = await this.keptOrNewCertificate();
      } catch (err) {
        if (err instanceof KeychainUnavailableError)
          return failure('keychain-unavailable', err.message);
        return failure('failed', `Could not prepare the certificate: ${(err as Error).message}`);
      }
    }
    // Unguessable, so only people given the link find the page.
    const pathPrefix = options.serveWeb ? newPathPrefix() : undefined;
    let server: RunningServer;
    try {
      server = await this.deps.startServer({
        host: address,
        port,
        ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
        ...(pathPrefix ? { web: { dir: this.deps.webDir, pathPrefix } } : {}),
        ...(this.deps.log ? { log: this.deps.log } : {}),
      });
    } catch (err) {
      return { ok: false, error: describeListenError(err as NodeJS.ErrnoException, address, port) };
    }
    const status: HostingStatus = {
      url: serverUrl(address, server.port),
      ...(pathPrefix
        ? { webUrl: server.webUrl ?? serverUrl(address, server.port, `${pathPrefix}/`) }
        : {}),
      address,
      port: server.port,
      fingerprint: server.fingerprint,
      certificateKept: tls !== undefined,
    };
    this.running = { server, status };
    return { ok: true, status };
  }

  private async keptOrNewCertificate(): Promise<Certificate> {
    const kept = await this.deps.keptCertificate.load();
    if (kept) return kept;
    const fresh = await this.deps.generateCertificate();
    await this.deps.keptCertificate.save(fresh);
    return fresh;
  }
}

function failure(code: HostingError['code'], message: string): HostingStartResult {
  return { ok: false, error: { code, message } };
}

/** Turns a listen error into one sentence a host can act on. */
export function describeListenError(
  err: NodeJS.ErrnoException,
  address: string,
  port: number,
): HostingError {
  switch (err.code) {
    case 'EADDRINUSE':
      return {
        code: 'port-in-use',
        message: `Port ${port} is already in use on ${address} (another room or program?). Choose another port.`,
      };
    case 'EADDRNOTAVAIL':
      return {
        code: 'address-unavailable',
        message: `The address ${address} is no longer on this computer (did the network change?). Choose an interface again.`,
      };
    case 'EACCES':
      return {
        code: 'failed',
        message: `This computer does not allow listening on port ${port}. Choose a port above 1024.`,
      };
    default:
      return { code: 'failed', message: `Could not start the room server: ${err.message}` };
  }
}
