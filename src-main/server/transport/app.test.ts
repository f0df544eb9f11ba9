import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../src-shared/protocol';
import type { RunningServer } from '../index';
import { RoomStore } from '../store/room-store';
import { openRoom, send, session, uniqueRoomName } from '../testing/member-fixture';
import { rawPost, rawRequest, type RawResponse } from '../testing/raw-client';
import { call, startTestServer, useTestServer } from '../testing/server-fixture';

const fixture = useTestServer();

function request(url: string, method: string, urlPath: string): Promise<RawResponse> {
  return rawRequest(url, method, '', { agent: fixture.agent, path: urlPath });
}

const serverInfo = JSON.stringify({ action: 'serverInfo', payload: {} });

describe('envelope', () => {
  it('answers POST on any path, payload as object or as JSON string', async () => {
    for (const p of ['/', '/some/secret/path', '/x?y=1']) {
      const res = await rawPost(fixture.server.url, serverInfo, { agent: fixture.agent, path: p });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
    const asString = await rawPost(
      fixture.server.url,
      JSON.stringify({ action: 'serverInfo', payload: '{}' }),
      { agent: fixture.agent },
    );
    expect(asString.status).toBe(200);
    expect(asString.headers['x-powered-by']).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"action": "serverInfo", '],
    ['an array body', '[1,2]'],
    ['a string body', '"serverInfo"'],
    ['null', 'null'],
    ['an unknown action', JSON.stringify({ action: 'dropTables', payload: {} })],
    ['a prototype key as action', JSON.stringify({ action: 'constructor', payload: {} })],
    ['no payload', JSON.stringify({ action: 'serverInfo' })],
    ['payload null', JSON.stringify({ action: 'serverInfo', payload: null })],
    ['payload an array', JSON.stringify({ action: 'serverInfo', payload: [] })],
    ['payload a number', JSON.stringify({ action: 'serverInfo', payload: 5 })],
    [
      'payload a string that is not JSON',
      JSON.stringify({ action: 'serverInfo', payload: '{nope' }),
    ],
    ['payload a string holding an array', JSON.stringify({ action: 'serverInfo', payload: '[]' })],
    ['an empty body', ''],
  ])('refuses %s with an empty 400', async (_name, body) => {
    const res = await rawPost(fixture.server.url, body, { agent: fixture.agent });
    expect(res.status).toBe(400);
    expect(res.body).toBe('');
  });

  it('refuses a body over the size limit with an empty 413', async () => {
    const big = JSON.stringify({
      action: 'serverInfo',
      payload: { pad: 'A'.repeat(LIMITS.requestBodyBytes) },
    });
    const res = await rawPost(fixture.server.url, big);
    expect(res.status).toBe(413);
    expect(res.body).toBe('');
  });

  it('refuses an oversized body sent in chunks without a Content-Length', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'A');
    const res = await new Promise<RawResponse>((resolve, reject) => {
      const req = https.request(
        fixture.server.url,
        {
          method: 'POST',
          rejectUnauthorized: false,
          headers: { 'Content-Type': 'application/json' },
        },
        (r) => {
          r.resume();
          r.on('end', () =>
            resolve({
              status: r.statusCode ?? 0,
              headers: r.headers,
              body: '',
              bytes: Buffer.alloc(0),
            }),
          );
        },
      );
      req.on('error', reject);
      for (let sent = 0; sent <= LIMITS.requestBodyBytes; sent += chunk.length) req.write(chunk);
      req.end();
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect((await rawPost(fixture.server.url, serverInfo, { agent: fixture.agent })).status).toBe(
      200,
    );
  });

  it('answers JSON that is not cached or sniffed', async () => {
    const res = await rawPost(fixture.server.url, serverInfo, { agent: fixture.agent });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  });

  it('answers other methods and GETs with an empty 404 when the web client is off', async () => {
    for (const [method, p] of [
      ['GET', '/'],
      ['GET', '/index.html'],
      ['PUT', '/'],
      ['DELETE', '/x'],
    ] as const) {
      const res = await request(fixture.server.url, method, p);
      expect(res.status).toBe(404);
      expect(res.body).toBe('');
    }
  });
});

describe('unexpected failures', () => {
  it('logs without the payload, answers an empty 500, and keeps serving', async () => {
    const { owner } = await openRoom(fixture.server.url, uniqueRoomName('boom'), 'olive', [], {
      agent: fixture.agent,
    });
    const spy = vi.spyOn(RoomStore.prototype, 'insertMessage').mockImplementationOnce(() => {
      throw new Error('disk on fire SECRETPAYLOAD');
    });
    try {
      const res = await call(
        fixture.server.url,
        'sendMsg',
        { ...session(owner), msg: 'U0VDUkVUUEFZTE9BRA==' },
        { agent: fixture.agent },
      );
      expect(res.status).toBe(500);
      expect(res.body).toBe('');
    } finally {
      spy.mockRestore();
    }
    const line = fixture.logs.find((l) => l.includes('sendMsg'));
    expect(line).toMatch(/^request failed in sendMsg: Error/);
    expect(fixture.logs.join('\n')).not.toMatch(/SECRETPAYLOAD|U0VDUkVU|disk on fire/);
    expect(fixture.logs.join('\n')).not.toContain(owner.sesskey);
    await send(fixture.server.url, owner, 'still works', { agent: fixture.agent });
  });
});

describe('web client', () => {
  let dir: string;
  let web: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lc-web-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>LocalChat</title>');
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    ({ server: web } = await startTestServer({ web: { dir, pathPrefix: '/s3cr3t/' } }));
  });

  afterAll(async () => {
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page and its assets under the prefix with strict security headers', async () => {
    expect(web.webUrl).toBe(`${web.url}/s3cr3t/`);
    const page = await request(web.url, 'GET', '/s3cr3t/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>LocalChat</title>');
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "worker-src 'self' blob:",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-powered-by']).toBeUndefined();
    const asset = await request(web.url, 'GET', '/s3cr3t/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('reveals nothing outside the prefix and keeps POST as the API everywhere', async () => {
    for (const p of [
      '/',
      '/index.html',
      '/assets/app.js',
      '/s3cr3t/missing.js',
      '/s3cr3t/../index.html',
      '/s3cr3tx/',
    ]) {
      const res = await request(web.url, 'GET', p);
      expect(res.status, p).toBe(404);
      expect(res.body).toBe('');
    }
    expect(
      (await rawPost(web.url, serverInfo, { agent: fixture.agent, path: '/s3cr3t/' })).status,
    ).toBe(200);
    expect((await rawPost(web.url, serverInfo, { agent: fixture.agent, path: '/' })).status).toBe(
      200,
    );
  });
});
