/**
 * Which URLs the renderer may load at all. Everything it shows comes from the app protocol; calls
 * to LocalChat servers are made by main over IPC, so any http(s), ws or file request from the page
 * is an anomaly and is cancelled.
 */
const LOADABLE_SCHEMES: ReadonlySet<string> = new Set(['app:', 'data:', 'blob:', 'devtools:']);

export function isRendererRequestAllowed(url: string): boolean {
  try {
    return LOADABLE_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}
