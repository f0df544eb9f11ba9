import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../index';
import { rawRequest, testAgent } from '../testing/raw-client';

/**
 * Hostile paths and methods against a server that serves the web page under a secret prefix:
 * traversal in any encoding must never reach a file outside the page's directory, a wrong prefix
 * must reveal nothing, and nothing may cause a 500. Paths go on the wire unnormalised.
 */

type Server = Awaited<ReturnType<typeof startServer>>;

const RUNS = 300;
const PREFIX = '/s3cr3t';
const PAGE = '<!doctype html><title>LocalChat</title>';
const SCRIPT = 'console.log("app")';

let root: string;
let server: Server;
let agent: https.Agent;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lc-webfuzz-'));
  const web = path.join(root, 'web');
  mkdirSync(path.join(web, 'assets'), { recursive: true });
  writeFileSync(path.join(web, 'index.html'), PAGE);
  writeFileSync(path.join(web, 'assets', 'app.js'), SCRIPT);
  writeFileSync(path.join(web, '.env'), 'DOTFILE-SECRET');
  writeFileSync(path.join(root, 'secret.txt'), 'TOP-SECRET');
  // A sibling whose name starts like the served directory: a naive prefix check would let it out.
  mkdirSync(path.join(root, 'web-evil'));
  writeFileSync(path.join(root, 'web-evil', 'x.txt'), 'EVIL-SIBLING');
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    log: () => {},
    web: { dir: web, pathPrefix: PREFIX },
  });
  agent = testAgent({ maxSockets: 4 });
});

afterAll(async () => {
  agent?.destroy();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

const segment = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '',
    '%2e%2e',
    '%2E%2E',
    '.%2e',
    '%252e%252e',
    '..%2f',
    '..%5c',
    '..\\',
    '%2f',
    '%00',
    'secret.txt',
    'web',
    'web-evil',
    'x.txt',
    'index.html',
    'assets',
    'app.js',
    '.env',
    '.git',
    's3cr3t',
    'S3CR3T',
    '%73%33cr3t',
    '~',
  ),
  fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
);

const hostilePath = fc
  .tuple(
    fc.constantFrom(`${PREFIX}/`, '/', `${PREFIX}`, `${PREFIX}//`, `${PREFIX}/assets/`, '//'),
    fc.array(segment, { maxLength: 6 }),
    fc.constantFrom('', '?x=1', '#frag', '?../../secret.txt'),
  )
  .map(([start, segments, tail]) => `${start}${segments.join('/')}${tail}`);

const method = fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');

// The files here are too small to be compressed: any Accept-Encoding must still get them intact.
const acceptEncoding = fc.oneof(
  fc.constantFrom('gzip, deflate, br', 'br;q=0', '*', 'identity;q=0', ';;;,,,q='),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

describe('hostile paths against the served web page', () => {
  it('never leave the page directory, never 500, reveal nothing outside the prefix', async () => {
    const statuses = new Map<number, number>();
    const details = await fc.check(
      fc.asyncProperty(method, hostilePath, acceptEncoding, async (m, urlPath, encoding) => {
        const res = await rawRequest(server.url, m, '', {
          agent,
          path: urlPath,
          headers: { 'Accept-Encoding': encoding },
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${m} ${urlPath}`).not.toBe(500);
        for (const secret of ['TOP-SECRET', 'EVIL-SIBLING', 'DOTFILE-SECRET']) {
          expect(res.body, `${m} ${urlPath}`).not.toContain(secret);
        }
        if (res.status === 200) {
          expect(['GET', 'HEAD'], `${m} ${urlPath}`).toContain(m);
          expect(urlPath.startsWith(`${PREFIX}/`), urlPath).toBe(true);
          if (m === 'GET') expect([PAGE, SCRIPT]).toContain(res.body);
        } else if (res.status >= 400) {
          expect(res.body, `${m} ${urlPath}`).toBe('');
        }
      }),
      { numRuns: RUNS },
    );
    const answered = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status} x${n}`)
      .join(', ');
    console.log(
      `fuzz (web paths): ${details.numRuns} cases, ${details.failed ? 1 : 0} failures (answered ${answered})`,
    );
    expect(
      details.failed,
      `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`,
    ).toBe(false);
  });
});
