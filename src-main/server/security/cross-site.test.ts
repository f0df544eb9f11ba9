import { describe, expect, it } from 'vitest';
import { stockPassword, uniqueRoomName } from '../testing/member-fixture';
import { api, rawPost } from '../testing/raw-client';
import { tlsSocket, watch } from '../testing/raw-socket';
import { useTestServer } from '../testing/server-fixture';

/**
 * Cross-site request forgery: a page on another site makes a visitor's browser POST to the room
 * server. Without a preflight a browser sends only "simple" requests (no Content-Type, text/plain,
 * form-urlencoded, multipart), each with the attacking page's Origin. None may create a room.
 */

const fixture = useTestServer({ createThrottle: { perAddress: 1000 } });

function createRoomBody(roomName: string): string {
  return JSON.stringify({
    action: 'createRoom',
    payload: { roomName, owner: 'mallory', pass: stockPassword() },
  });
}

/** True when the room exists: a second createRoom of the same name is refused. */
async function roomExists(roomName: string): Promise<boolean> {
  const res = await api(fixture.server.url, 'createRoom', {
    roomName,
    owner: 'olive',
    pass: stockPassword(),
  });
  return res.status !== 200;
}

const host = () => new URL(fixture.server.url).host;
const EVIL = 'https://evil.example';

describe('cross-site requests', () => {
  it.each<[string, Record<string, string>, number]>([
    [
      'a form post (text/plain) from another site',
      { 'Content-Type': 'text/plain', Origin: EVIL },
      403,
    ],
    [
      'text/plain naming JSON in a parameter',
      { 'Content-Type': 'text/plain; charset=application/json', Origin: EVIL },
      403,
    ],
    [
      'a urlencoded form',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: EVIL },
      403,
    ],
    ['a multipart form', { 'Content-Type': 'multipart/form-data; boundary=x', Origin: EVIL }, 403],
    ['a sandboxed page (Origin null)', { Origin: 'null' }, 403],
    ['JSON from another site', { Origin: EVIL }, 403],
    ['JSON from another port of the same host', { Origin: 'https://127.0.0.1:1' }, 403],
    ['the same host over plain http', { Origin: 'http://HOST' }, 403],
    ['text/plain without an Origin', { 'Content-Type': 'text/plain' }, 415],
    [
      'a urlencoded form without an Origin',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      415,
    ],
    ['an empty Content-Type', { 'Content-Type': '' }, 415],
  ])('refuses %s without creating the room', async (_name, headers, status) => {
    const roomName = uniqueRoomName('csrf');
    const wire = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v.replace('HOST', host())]),
    );
    const res = await rawPost(fixture.server.url, createRoomBody(roomName), {
      agent: fixture.agent,
      headers: wire,
    });
    expect(res.status).toBe(status);
    expect(res.body).toBe('');
    expect(await roomExists(roomName)).toBe(false);
  });

  it('refuses a body with no Content-Type at all (a Blob or beacon body)', async () => {
    const roomName = uniqueRoomName('blob');
    const body = createRoomBody(roomName);
    const socket = await tlsSocket(fixture.server.port);
    const seen = watch(socket);
    socket.write(
      `POST / HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${EVIL}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await seen.closed;
    expect(seen.received()).toMatch(/^HTTP\/1\.1 403 /);
    expect(await roomExists(roomName)).toBe(false);
  });

  it('accepts what real clients send: no Origin, or the served page its own', async () => {
    const accepted: Record<string, string>[] = [
      { 'Content-Type': 'application/json' },
      { 'Content-Type': 'application/json; charset=utf-8' },
      { 'Content-Type': 'Application/JSON' },
      { 'Content-Type': 'application/json', Origin: `https://${host()}` },
    ];
    for (const headers of accepted) {
      const roomName = uniqueRoomName('legit');
      const res = await rawPost(fixture.server.url, createRoomBody(roomName), {
        agent: fixture.agent,
        headers,
      });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(await roomExists(roomName)).toBe(true);
    }
  });
});
