import path from 'node:path';
import express, { type RequestHandler, type Response } from 'express';

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

export function setWebSecurityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * Serves the built browser client under the prefix. Only GET/HEAD reach it; everything it does
 * not find falls through to the 404 with an empty body, so a secret prefix stays secret.
 */
export function webClient(dir: string, prefix: string): RequestHandler {
  const files = express.static(path.resolve(dir), {
    index: 'index.html',
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    etag: false,
    lastModified: false,
    setHeaders: (res) => setWebSecurityHeaders(res),
  });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const pathname = req.path;
    if (prefix && pathname === prefix) {
      // Browsers resolve the page's relative asset URLs against the trailing slash.
      res.status(308).setHeader('Location', `${prefix}/`).end();
      return;
    }
    if (!pathname.startsWith(`${prefix}/`)) return next();
    const originalUrl = req.url;
    req.url = req.url.slice(prefix.length);
    files(req, res, (err?: unknown) => {
      req.url = originalUrl;
      next(err);
    });
  };
}
