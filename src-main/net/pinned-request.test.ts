import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeFingerprint } from './fingerprint';
import { request } from './pinned-request';
import { generateCertificate, type Certificate } from '../server/transport/certificate';

function makeCertificate(): Promise<Certificate> {
  return generateCertificate([], ['127.0.0.1']);
}

function listen(server: net.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('request (pinned HTTPS to a LocalChat server)', () => {
  let right: Certificate;
  let other: Certificate;
  let server: https.Server;
  let url: string;
  const received: unknown[] = [];
  let handshakes = 0;

  beforeAll(async () => {
    [right, other] = await Promise.all([makeCertificate(), makeCertificate()]);
    server = https.createServer({ key: right.key, cert: right.cert }, (req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(text));
        if (req.url === '/locked') {
          res.writeHead(429, { 'Retry-After': '42' }).end();
        } else if (req.url === '/secret/path') {
          res
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end('{"status":"ok","roomid":1}');
        } else {
          res.writeHead(403).end();
        }
      });
    });
    server.on('secureConnection', () => (handshakes += 1));
    url = await listen(server);
  });
  afterAll(() => close(server));

  it('sends the call and returns the answer when the fingerprint matches', async () => {
    const reply = await request({
      url: `${url}/secret/path`,
      action: 'createRoom',
      payload: { roomName: 'r' },
      fingerprint: right.fingerprint.replace(/:/g, '').toLowerCase(),
    });
    expect(reply).toEqual({
      kind: 'response',
      status: 200,
      body: { status: 'ok', roomid: 1 },
      fingerprint: right.fingerprint,
    });
    expect(received.at(-1)).toEqual({ action: 'createRoom', payload: { roomName: 'r' } });
  });

  it('reports non-200 answers with an empty body as null', async () => {
    const reply = await request({
      url,
      action: 'pollMsg',
      payload: '{}',
      fingerprint: right.fingerprint,
    });
    expect(reply).toEqual({
      kind: 'response',
      status: 403,
      body: null,
      fingerprint: right.fingerprint,
    });
  });

  it('passes on the Retry-After of a lockout, so the client can count down', async () => {
    const reply = await request({ url: `${url}/locked`, action: 'joinRoom', payload: {} });
    expect(reply).toMatchObject({ kind: 'response', status: 429, retryAfter: 42 });
  });

  it('trusts on first use without a fingerprint and reports the one it saw', async () => {
    const reply = await request({ url: `${url}/secret/path`, action: 'createRoom', payload: {} });
    expect(reply.kind).toBe('response');
    expect(reply.kind === 'response' && reply.fingerprint).toBe(right.fingerprint);
  });

  it('refuses a server with another certificate without sending a single byte of the call', async () => {
    let bytesReceived = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const impostor = tls.createServer({ key: other.key, cert: other.cert }, (socket) => {
      socket.on('data', (chunk: Buffer) => (bytesReceived += chunk.length));
      socket.on('error', () => {});
    });
    // TCP's close: the TLS socket above it may never be handed over, the handshake unfinished.
    impostor.on('connection', (raw: net.Socket) => raw.once('close', closed));
    const impostorUrl = await listen(impostor);
    try {
      const reply = await request({
        url: impostorUrl,
        action: 'joinRoom',
        payload: { userpass: 'SECRET' },
        fingerprint: right.fingerprint,
      });
      expect(reply).toEqual({
        kind: 'certificate-mismatch',
        expected: right.fingerprint,
        actual: other.fingerprint,
      });
      // Everything the client sent has arrived once its connection is closed.
      await connectionClosed;
      expect(bytesReceived).toBe(0);
    } finally {
      await close(impostor);
    }
  });

  it('reuses a connection checked against the same pin, with no new handshake', async () => {
    const call = () =>
      request({
        url: `${url}/secret/path`,
        action: 'pollMsg',
        payload: {},
        fingerprint: right.fingerprint,
      });
    await call();
    const before = handshakes;
    const replies = [await call(), await call(), await call()];
    expect(handshakes).toBe(before);
    for (const reply of replies) {
      expect(reply).toMatchObject({
        kind: 'response',
        status: 200,
        fingerprint: right.fingerprint,
      });
    }
  });

  it('never sends a call pinned to another certificate over a connection checked for this one', async () => {
    await request({ url, action: 'pollMsg', payload: {}, fingerprint: right.fingerprint });
    const count = received.length;
    const reply = await request({
      url,
      action: 'joinRoom',
      payload: { userpass: 'SECRET' },
      fingerprint: other.fingerprint,
    });
    expect(reply).toEqual({
      kind: 'certificate-mismatch',
      expected: other.fingerprint,
      actual: right.fingerprint,
    });
    expect(received).toHaveLength(count);
  });

  it('reports a closed port as unreachable', async () => {
    const probe = net.createServer();
    const freeUrl = await listen(probe);
    await close(probe);
    const reply = await request({
      url: freeUrl,
      action: 'pollMsg',
      payload: {},
      fingerprint: right.fingerprint,
    });
    expect(reply.kind).toBe('unreachable');
    expect(reply.kind === 'unreachable' && reply.message).toMatch(/Nothing is listening/);
  });

  it('reports a server that never answers as unreachable after the timeout', async () => {
    // Reads (so it sees the client hang up) but never answers the TLS handshake.
    const silent = net.createServer((socket) => socket.on('error', () => {}).resume());
    const silentUrl = await listen(silent);
    try {
      const reply = await request({
        url: silentUrl,
        action: 'pollMsg',
        payload: {},
        timeoutMs: 300,
      });
      expect(reply).toEqual({ kind: 'unreachable', message: expect.stringMatching(/No answer/) });
    } finally {
      await close(silent);
    }
  });

  it('refuses plain http and malformed fingerprints without connecting', async () => {
    expect((await request({ url: 'http://127.0.0.1:1', action: 'x', payload: {} })).kind).toBe(
      'unreachable',
    );
    expect((await request({ url, action: 'x', payload: {}, fingerprint: 'AB:CD' })).kind).toBe(
      'unreachable',
    );
  });
});

describe('normalizeFingerprint', () => {
  it('accepts any case and separator and yields colon-separated upper case', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizeFingerprint(hex)).toBe(Array(32).fill('AB').join(':'));
    expect(normalizeFingerprint(Array(32).fill('ab').join(':'))).toBe(
      Array(32).fill('AB').join(':'),
    );
    expect(() => normalizeFingerprint('ab'.repeat(31))).toThrow();
  });
});
