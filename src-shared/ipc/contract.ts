/**
 * The one definition of what crosses the Electron main/renderer boundary. The preload exposes
 * `window.localchat` with exactly this shape; main registers a handler for each channel.
 */

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

export type ServerReply =
  | { kind: 'response'; status: number; body: unknown; fingerprint: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'certificate-mismatch'; expected: string; actual: string };
