import type { CaptureProtection, IpcInvoke, ServerReply } from '../../src-shared/ipc/contract';

/** Where a session's calls go: the server URL (including any path prefix) and its certificate. */
export interface ServerTarget {
  url: string;
  /** SHA-256 certificate fingerprint the server must present (only checkable in Electron). */
  fingerprint?: string;
}

export interface SendOptions {
  timeoutMs?: number;
  /** Best effort while the page unloads: the request must outlive the page. */
  keepalive?: boolean;
}

/** One way of delivering API calls. The UI and store never know which implementation runs. */
export interface Transport {
  readonly server: ServerTarget;
  send(action: string, payload: unknown, options?: SendOptions): Promise<ServerReply>;
}

/** The environment the renderer runs in, chosen once at start-up. */
export interface Host {
  readonly kind: 'browser' | 'electron';
  /**
   * The only server a browser page can reach (its own origin and path); undefined in Electron,
   * where any server may be used.
   */
  readonly ownServer?: string;
  /** The room server this computer hosts, if any (Electron); the page's own server in a browser. */
  localServer(): Promise<ServerTarget | undefined>;
  /** Throws HostError when this host cannot reach the target. */
  connect(target: ServerTarget): Transport;
  /** Hosting a room server from this computer: only the desktop app can. */
  readonly hosting?: Hosting;
  /**
   * Desktop app: opens a message's http(s) link in the system browser after main's confirmation.
   * Absent in a browser, where links open in a new tab.
   */
  openExternal?(url: string): Promise<boolean>;
  /**
   * Browser page: whether its own address stopped serving it (its server restarted under a new
   * secret path), so it must not start or join a room. See stalePage.ts.
   */
  pageGone?(): Promise<boolean>;
  /** localchat://join links opened while the app runs (desktop app only). */
  readonly joinLinks?: JoinLinks;
  /** Keeping the window out of screen captures (desktop app only). */
  readonly capture?: {
    status(): Promise<CaptureProtection>;
    set(on: boolean): Promise<CaptureProtection>;
  };
}

/** The desktop app's room-server controls, as main offers them over IPC. */
export interface Hosting {
  interfaces: IpcInvoke['hosting:interfaces'];
  start: IpcInvoke['hosting:start'];
  stop: IpcInvoke['hosting:stop'];
  status: IpcInvoke['hosting:status'];
  certificate: IpcInvoke['hosting:certificate'];
  forgetCertificate: IpcInvoke['hosting:forget-certificate'];
}

export interface JoinLinks {
  /** Links that arrived before anyone listened (e.g. the one the app was started with). */
  takePending(): Promise<string[]>;
  subscribe(listener: (link: string) => void): () => void;
}

export class HostError extends Error {
  override name = 'HostError';
}

/** Normalises a server URL so equal servers compare equal: no trailing slash, no query. */
export function normaliseServerUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.protocol}//${parsed.host}${path}`;
}
