import { randomBytes } from 'node:crypto';

/** Normalises a path prefix to '' or '/a/b' (leading slash, no trailing slash). */
export function normalisePathPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** A secret path: 144 bits from the CSPRNG, URL-safe, as the desktop app's hosting makes it. */
export function newPathPrefix(): string {
  return `/${randomBytes(18).toString('base64url')}`;
}
