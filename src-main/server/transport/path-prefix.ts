/** Normalises a path prefix to '' or '/a/b' (leading slash, no trailing slash). */
export function normalisePathPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}
