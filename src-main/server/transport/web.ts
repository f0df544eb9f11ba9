import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseCoding } from './accept-encoding';
import type { WebFiles } from './web-files';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Content-addressed files change name when they change, so a year without asking is safe. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export function setWebSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

/** What a request for the page comes to: a file, a redirect to the prefix's slash, or nothing. */
export type WebTarget = { kind: 'file'; key: string } | { kind: 'redirect'; location: string };

/**
 * Maps a GET/HEAD request's raw path to a listed file under the prefix. A wrong or missing
 * prefix, and anything not listed, is undefined, so a secret prefix stays secret.
 */
export function resolveWebTarget(
  url: string | undefined,
  prefix: string,
  files: WebFiles,
): WebTarget | undefined {
  const pathname = (url ?? '').split(/[?#]/, 1)[0]!;
  if (!startsWithSecret(pathname, prefix)) return undefined;
  // Browsers resolve the page's relative asset URLs against the trailing slash.
  if (prefix && pathname.length === prefix.length)
    return { kind: 'redirect', location: `${prefix}/` };
  if (pathname[prefix.length] !== '/') return undefined;
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(prefix.length + 1));
  } catch {
    return undefined;
  }
  if (key === '' || key.endsWith('/')) key += 'index.html';
  return files.find(key) ? { kind: 'file', key } : undefined;
}

/** Compared in constant time, so response times cannot spell out the secret path. */
function startsWithSecret(pathname: string, prefix: string): boolean {
  const head = Buffer.from(pathname.slice(0, prefix.length));
  const secret = Buffer.from(prefix);
  return head.length === secret.length && timingSafeEqual(head, secret);
}

/**
 * Answers a request for one of the page's files: hashed assets compressed as the browser
 * accepts and cached for a year, everything else (the HTML first) never cached.
 */
export async function sendWebFile(
  req: IncomingMessage,
  res: ServerResponse,
  files: WebFiles,
  key: string,
): Promise<void> {
  const file = files.find(key)!;
  const { bytes, coding } = await files.body(
    key,
    file.compressible ? chooseCoding(req.headers['accept-encoding']) : undefined,
  );
  if (res.headersSent || res.destroyed) return;
  setWebSecurityHeaders(res);
  if (file.immutable) res.setHeader('Cache-Control', IMMUTABLE);
  res.setHeader('Content-Type', file.type);
  res.setHeader('Content-Length', bytes.length);
  if (file.compressible) res.setHeader('Vary', 'Accept-Encoding');
  if (coding) res.setHeader('Content-Encoding', coding);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
