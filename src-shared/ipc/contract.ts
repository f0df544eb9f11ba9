/**
 * The one definition of what crosses the Electron main/renderer boundary. The preload exposes
 * `window.localchat` (a {@link LocalChatBridge}) with exactly this shape; main registers a handler
 * for each invoke channel and validates every argument at runtime (see ./schemas).
 */

import type { S2kHash } from '../crypto/s2k';

/** One LocalChat API call made by the main process on the renderer's behalf. */
export interface ServerRequest {
  /** Server URL including any path prefix, e.g. https://192.168.1.5:8090/secret */
  url: string;
  action: string;
  payload: unknown;
  /** SHA-256 fingerprint (hex, colon-separated or not) the server's certificate must have. */
  fingerprint?: string;
  timeoutMs?: number;
}

/**
 * `fingerprint` is always the certificate actually seen ('AB:CD:..'), so a UI joining without a
 * pinned fingerprint (trust on first use) can show it and pin it for later calls.
 */
export type ServerReply =
  | {
      kind: 'response';
      status: number;
      body: unknown;
      fingerprint: string;
      /** Seconds from the `Retry-After` header of a 429 or 503, when the server sent one. */
      retryAfter?: number;
    }
  | { kind: 'unreachable'; message: string }
  | { kind: 'certificate-mismatch'; expected: string; actual: string };

/** One address of one network interface the room can be hosted on. */
export interface NetworkInterfaceInfo {
  /** OS name of the interface, e.g. "eth0", "Wi-Fi", "lo". */
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  /** Loopback: reachable from this computer only. */
  internal: boolean;
}

export interface HostingStartOptions {
  /** Address of the interface to listen on (one of `hosting:interfaces`). */
  address: string;
  /** Defaults to 8090, the stock client's default. */
  port?: number;
  /** Also serve the browser page under a freshly generated secret path. */
  serveWeb?: boolean;
  /** Keep the certificate (key encrypted with the OS keychain) so invites' fingerprints survive restarts. */
  keepCertificate?: boolean;
}

export interface HostingStatus {
  /** What participants use: https://ADDRESS:PORT */
  url: string;
  /** The browser page's link with its secret path, when serveWeb was asked for. */
  webUrl?: string;
  address: string;
  port: number;
  /** SHA-256 fingerprint of the certificate, 'AB:CD:..'. */
  fingerprint: string;
  certificateKept: boolean;
}

export type HostingErrorCode =
  'port-in-use' | 'address-unavailable' | 'already-hosting' | 'keychain-unavailable' | 'failed';

export interface HostingError {
  code: HostingErrorCode;
  /** One readable sentence for the UI. */
  message: string;
}

export type HostingStartResult =
  { ok: true; status: HostingStatus } | { ok: false; error: HostingError };

export interface KeptCertificateInfo {
  kept: boolean;
  fingerprint?: string;
  /** Whether the OS can encrypt the key at rest; keeping a certificate needs it. */
  encryptionAvailable: boolean;
}

/**
 * S2K hashing main does for the renderer's decryption (see src-shared/crypto/s2k): the digest of
 * p zero octets then `pattern` repeated to `count` octets, for each p below `contexts`.
 */
export interface S2kDigestRequest {
  hash: S2kHash;
  pattern: Uint8Array;
  count: number;
  contexts: number;
}

/** A desktop notification main shows for the renderer, about the messages `ids`. */
export interface DesktopNotification {
  title: string;
  body: string;
  ids: number[];
}
/**
 * Whether the window is kept out of screenshots, recordings and screen sharing: on, off (by the
 * member, or because assistive technology is in use), or not offered by this OS (Linux).
 */
export type CaptureProtection =
  | { state: 'on' }
  | { state: 'off'; reason: 'member' | 'assistive-technology' }
  | { state: 'unavailable' };

/** Renderer -> main calls (ipcRenderer.invoke / ipcMain.handle). */
export interface IpcInvoke {
  'server:request': (req: ServerRequest) => Promise<ServerReply>;
  'hosting:interfaces': () => Promise<NetworkInterfaceInfo[]>;
  'hosting:start': (options: HostingStartOptions) => Promise<HostingStartResult>;
  'hosting:stop': () => Promise<void>;
  'hosting:status': () => Promise<HostingStatus | null>;
  'hosting:certificate': () => Promise<KeptCertificateInfo>;
  'hosting:forget-certificate': () => Promise<void>;
  /**
   * localchat:// links that arrived before the renderer was listening (e.g. the one the app was
   * launched with). Call once after subscribing to 'link:join'; later links arrive as events.
   */
  'links:take-pending': () => Promise<string[]>;
  /**
   * GnuPG's default S2K is 65 MB of SHA-1 per message: Node's streaming hash in main does it
   * several times faster than WebCrypto's one-shot digest in the renderer.
   */
  'crypto:s2k-digests': (req: S2kDigestRequest) => Promise<Uint8Array[]>;
  /**
   * Opens an http(s) link from a message in the system browser, after main has shown the full
   * URL and the user confirmed; true when it was opened.
   */
  'links:open-external': (url: string) => Promise<boolean>;
  /**
   * Notifications go through main, which keeps every one it showed and closes them when their
   * message expires, at session end, when the window reloads or closes, and at quit.
   */
  'notifications:show': (notification: DesktopNotification) => Promise<void>;
  /** Closes every notification about any of these message ids. */
  'notifications:close': (ids: number[]) => Promise<void>;
  'notifications:close-all': () => Promise<void>;
  /** Empties the system clipboard if it still holds this room text; true when it did. */
  'clipboard:clear-if': (text: string) => Promise<boolean>;
  'capture:status': () => Promise<CaptureProtection>;
  /** The member turns capture protection on or off; answers what is in force now. */
  'capture:set': (on: boolean) => Promise<CaptureProtection>;
}

/** Main -> renderer events (webContents.send / ipcRenderer.on). */
export interface IpcEvents {
  /** A validated `localchat://join/<code>` link, raw: decode it with decodeInvite. */
  'link:join': { link: string };
}

export type InvokeChannel = keyof IpcInvoke;
export type EventChannel = keyof IpcEvents;
export type InvokeArgs<K extends InvokeChannel> = Parameters<IpcInvoke[K]>;
export type InvokeResult<K extends InvokeChannel> = Awaited<ReturnType<IpcInvoke[K]>>;

/** Runtime lists, so the preload forwards nothing else. */
export const INVOKE_CHANNELS = [
  'server:request',
  'hosting:interfaces',
  'hosting:start',
  'hosting:stop',
  'hosting:status',
  'hosting:certificate',
  'hosting:forget-certificate',
  'links:take-pending',
  'crypto:s2k-digests',
  'links:open-external',
  'notifications:show',
  'notifications:close',
  'notifications:close-all',
  'clipboard:clear-if',
  'capture:status',
  'capture:set',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = ['link:join'] as const satisfies readonly EventChannel[];

// Compile-time proof that the runtime lists name every channel.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allInvokeListed: Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]> extends never
  ? true
  : never = true;
const _allEventsListed: Missing<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never
  ? true
  : never = true;

/** `window.localchat` in the Electron renderer; absent in a plain browser. */
export interface LocalChatBridge {
  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<InvokeResult<K>>;
  /** Subscribe to a main -> renderer event; returns the unsubscribe function. */
  on<K extends EventChannel>(channel: K, listener: (payload: IpcEvents[K]) => void): () => void;
  /** Shorthand for invoke('server:request', req). */
  request(req: ServerRequest): Promise<ServerReply>;
}
