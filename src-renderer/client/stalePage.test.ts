import { describe, expect, it } from 'vitest';
import { pageGone } from './stalePage';

const answering = (status: number) => (async () => new Response(null, { status })) as typeof fetch;

describe('pageGone', () => {
  it('is true only when the page’s own address answers 404', async () => {
    expect(await pageGone('https://h/old/', answering(404))).toBe(true);
    expect(await pageGone('https://h/now/', answering(200))).toBe(false);
    // A server that does not answer, or a busy one, is not a moved page.
    expect(await pageGone('https://h/now/', answering(503))).toBe(false);
    const unreachable = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await pageGone('https://h/now/', unreachable)).toBe(false);
  });

  it('asks with HEAD, uncached and without credentials', async () => {
    let seen: RequestInit | undefined;
    const spy = (async (_url: string, init?: RequestInit) => {
      seen = init;
      return new Response(null, { status: 200 });
    }) as typeof fetch;
    await pageGone('https://h/now/', spy);
    expect(seen).toMatchObject({ method: 'HEAD', cache: 'no-store', credentials: 'omit' });
  });
});
