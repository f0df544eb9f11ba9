import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../../scripts/precompress.mjs';
import type { RunningServer } from '../index';
import { rawRequest, type RawResponse } from '../testing/raw-client';
import { startTestServer } from '../testing/server-fixture';
import { WebFiles } from './web-files';

/** The built page as Vite lays it out: the HTML, hashed assets, an unhashed public icon. */
const PAGE = `<!doctype html><title>LocalChat</title>${'<!-- padding -->'.repeat(200)}`;
const SCRIPT = `console.log(${JSON.stringify('LocalChat '.repeat(3_000))});`;
const STYLE = `body { color: black; }\n${'.x { margin: 0 }\n'.repeat(500)}`;
const ICON = `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`;
const TINY = 'console.log(1)';

let dir: string;
let outside: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lc-web-headers-'));
  outside = mkdtempSync(path.join(tmpdir(), 'lc-web-outside-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), PAGE);
  writeFileSync(path.join(dir, 'assets', 'index-DQTzhwBb.js'), SCRIPT);
  writeFileSync(path.join(dir, 'assets', 'index-CWt8KKKb.css'), STYLE);
  writeFileSync(path.join(dir, 'assets', 'tiny-Ab12Cd34.js'), TINY);
  writeFileSync(path.join(dir, 'assets', 'unhashed.js'), SCRIPT);
  writeFileSync(path.join(dir, 'icon.svg'), ICON);
  writeFileSync(path.join(outside, 'secret.txt'), 'TOP-SECRET');
  // As the build leaves it: .br and .gz beside each file worth compressing.
  await precompress(dir);
  // A link out of the page's directory, and one posing as a precompressed file.
  symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'assets', 'leak-Ab12Cd34.js'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'assets', 'tiny-Ab12Cd34.js.br'));
  ({ server } = await startTestServer({ web: { dir, pathPrefix: '/s3cr3t' } }));
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** A fresh connection per request (no agent), the body as raw bytes. */
function get(
  urlPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return rawRequest(server.url, method, '', { path: urlPath, headers });
}

function decoded(answer: RawResponse): string {
  const coding = answer.headers['content-encoding'];
  if (coding === 'br') return zlib.brotliDecompressSync(answer.bytes).toString('utf8');
  if (coding === 'gzip') return zlib.gunzipSync(answer.bytes).toString('utf8');
  expect(coding).toBeUndefined();
  return answer.bytes.toString('utf8');
}

function expectStrictHeaders(answer: RawResponse): void {
  const csp = String(answer.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(csp).not.toMatch(/unsafe|\*/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['referrer-policy']).toBe('no-referrer');
  expect(answer.headers['x-powered-by']).toBeUndefined();
  expect(answer.headers['access-control-allow-origin']).toBeUndefined();
}

const BROWSER = { 'Accept-Encoding': 'gzip, deflate, br, zstd' };

describe('the page (HTML)', () => {
  it('is never cached, compressed or not, and keeps every security header', async () => {
    for (const headers of [BROWSER, {}]) {
      const page = await get('/s3cr3t/', headers);
      expect(page.status).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers.vary).toBe('Accept-Encoding');
      expect(decoded(page)).toBe(PAGE);
      expectStrictHeaders(page);
    }
    expect((await get('/s3cr3t/index.html', BROWSER)).headers['cache-control']).toBe('no-store');
  });
});

describe('hashed assets', () => {
  it('are cached for a year as immutable, with every security header', async () => {
    for (const file of ['index-DQTzhwBb.js', 'index-CWt8KKKb.css', 'tiny-Ab12Cd34.js']) {
      const asset = await get(`/s3cr3t/assets/${file}`, BROWSER);
      expect(asset.status, file).toBe(200);
      expect(asset.headers['cache-control'], file).toBe('public, max-age=31536000, immutable');
      expectStrictHeaders(asset);
    }
  });

  it('come as brotli when the browser takes it, with Vary and the compressed length', async () => {
    const asset = await get('/s3cr3t/assets/index-DQTzhwBb.js', BROWSER);
    expect(asset.headers['content-encoding']).toBe('br');
    expect(asset.headers.vary).toBe('Accept-Encoding');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(asset.headers['content-length'])).toBe(asset.bytes.length);
    expect(asset.bytes.length).toBeLessThan(SCRIPT.length / 10);
    expect(decoded(asset)).toBe(SCRIPT);
    const style = await get('/s3cr3t/assets/index-CWt8KKKb.css', BROWSER);
    expect(style.headers['content-encoding']).toBe('br');
    expect(decoded(style)).toBe(STYLE);
  });

  it('come as gzip to a client without brotli, and as they are to one that takes neither', async () => {
    const gzip = await get('/s3cr3t/assets/index-DQTzhwBb.js', { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decoded(gzip)).toBe(SCRIPT);
    for (const headers of [
      {} as Record<string, string>,
      { 'Accept-Encoding': 'identity' },
      { 'Accept-Encoding': 'br;q=0, gzip;q=0' },
    ]) {
      const plain = await get('/s3cr3t/assets/index-DQTzhwBb.js', headers);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(plain.bytes.toString('utf8')).toBe(SCRIPT);
      expect(Number(plain.headers['content-length'])).toBe(SCRIPT.length);
    }
  });

  it('survive garbage in Accept-Encoding: the file as it is, never an error', async () => {
    for (const garbage of [
      '\u00ff\u00fe',
      'br;q=abc',
      ';;;,,,',
      `${'gzip,'.repeat(2_000)}`,
      'br;q=1e9',
    ]) {
      const answer = await get('/s3cr3t/assets/index-DQTzhwBb.js', { 'Accept-Encoding': garbage });
      expect(answer.status, garbage).toBe(200);
      expect(decoded(answer)).toBe(SCRIPT);
    }
  });

  it('answer HEAD with the same headers and no body', async () => {
    const head = await get('/s3cr3t/assets/index-DQTzhwBb.js', BROWSER, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(head.bytes.length).toBe(0);
  });

  it('leave small files uncompressed (compression would not pay)', async () => {
    const tiny = await get('/s3cr3t/assets/tiny-Ab12Cd34.js', BROWSER);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.bytes.toString('utf8')).toBe(TINY);
  });
});

describe('files that are not content-addressed', () => {
  it('are compressed but never cached (public icons, unhashed names)', async () => {
    for (const file of ['/s3cr3t/icon.svg', '/s3cr3t/assets/unhashed.js']) {
      const answer = await get(file, BROWSER);
      expect(answer.status, file).toBe(200);
      expect(answer.headers['cache-control'], file).toBe('no-store');
      expect(answer.headers['content-encoding'], file).toBe('br');
      expectStrictHeaders(answer);
    }
    expect((await get('/s3cr3t/icon.svg')).headers['content-type']).toBe('image/svg+xml');
  });
});

describe('what is not the page', () => {
  it('is an empty, uncacheable 404: links out of the directory, outside the prefix', async () => {
    for (const urlPath of [
      '/s3cr3t/assets/leak-Ab12Cd34.js',
      '/s3cr3t/icon.svg.br',
      '/s3cr3t/assets/tiny-Ab12Cd34.js.br',
      '/assets/index-DQTzhwBb.js',
      '/s3cr3t/assets/index-DQTzhwBb.js.br',
      '/s3cr3t/assets/index-DQTzhwBb.js.gz',
      '/s3cr3t/assets/%2e%2e/index.html',
      '/s3cr3t/assets/..%2f..%2f' + encodeURIComponent(outside) + '/secret.txt',
      '/s3cr3t/%E0%A4%A',
    ]) {
      const answer = await get(urlPath, BROWSER);
      expect(answer.status, urlPath).toBe(404);
      expect(answer.bytes.length, urlPath).toBe(0);
      expect(answer.headers['cache-control'], urlPath).toBe('no-store');
      expect(answer.headers['content-encoding'], urlPath).toBeUndefined();
    }
  });
});

describe('WebFiles', () => {
  it('reads a compressed form once and keeps it: the same bytes for every later request', async () => {
    const files = WebFiles.list(dir);
    const first = await files.body('assets/index-DQTzhwBb.js', 'br');
    const again = await Promise.all(
      [1, 2, 3].map(() => files.body('assets/index-DQTzhwBb.js', 'br')),
    );
    for (const later of again) expect(later.bytes).toBe(first.bytes);
    const gzip = await files.body('assets/index-DQTzhwBb.js', 'gzip');
    expect((await files.body('assets/index-DQTzhwBb.js', 'gzip')).bytes).toBe(gzip.bytes);
  });

  it('compresses nothing itself: without the forms the build made, files come as they are', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'lc-web-plain-'));
    try {
      writeFileSync(path.join(plain, 'index.html'), PAGE);
      const files = WebFiles.list(plain);
      expect(await files.body('index.html', 'br')).toEqual({ bytes: Buffer.from(PAGE) });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('lists no dotfiles, no symlinks, and no paths outside the directory', () => {
    writeFileSync(path.join(dir, '.env'), 'DOTFILE-SECRET');
    try {
      const files = WebFiles.list(dir);
      for (const key of ['.env', 'assets/leak-Ab12Cd34.js', 'icon.svg.br', '../secret.txt'])
        expect(files.find(key), key).toBeUndefined();
      expect(files.find('index.html')?.immutable).toBe(false);
      expect(files.find('assets/index-DQTzhwBb.js')?.immutable).toBe(true);
    } finally {
      rmSync(path.join(dir, '.env'));
    }
  });

  it('refuses a directory with thousands of files (not a built page)', () => {
    const big = mkdtempSync(path.join(tmpdir(), 'lc-web-big-'));
    try {
      for (let i = 0; i <= 2_000; i++) writeFileSync(path.join(big, `f${i}.txt`), '');
      expect(() => WebFiles.list(big)).toThrow(/more than 2000 files/);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });
});
