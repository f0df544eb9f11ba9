import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageRow } from '../../src-shared/protocol';
import type { RunningServer } from './index';
import { Gpg } from './testing/gpg';
import { stockPassword, uniqueRoomName } from './testing/member-fixture';
import { testAgent } from './testing/raw-client';
import { call, startTestServer } from './testing/server-fixture';

/**
 * Plays the stock Python client against the server: payloads as JSON strings, mylast as a number,
 * messages encrypted and decrypted by the real gpg with the room passphrase, SYSTEM messages
 * decrypted by gpg with the syskey.
 */
let server: RunningServer;
let agent: https.Agent;
let gpg: Gpg;

beforeAll(async () => {
  ({ server } = await startTestServer());
  agent = testAgent({ maxSockets: 4 });
  gpg = new Gpg();
});

afterAll(async () => {
  agent.destroy();
  gpg.dispose();
  await server.close();
});

/** Sends like the stock client: `{"action": A, "payload": "<json string>"}`. */
async function stock(
  action: string,
  payload: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await call(server.url, action, payload, { agent, payloadAsString: true });
  expect(res.status, `${action}: ${res.status}`).toBe(200);
  return res.json!;
}

describe('stock client interop', () => {
  it('exchanges gpg-encrypted messages and delivers gpg-decryptable SYSTEM messages', async () => {
    const room = uniqueRoomName('interop');
    const roomPass = stockPassword();
    const ownerPass = stockPassword();
    const guestPass = stockPassword();

    expect(
      await stock('createRoom', { roomName: room, owner: 'alice', pass: ownerPass }),
    ).toMatchObject({ status: 'ok' });
    const alice = await stock('joinRoom', { roomName: room, user: 'alice', userpass: ownerPass });
    const aliceSession = { roomName: room, user: 'alice', sesskey: alice.session };
    await stock('inviteUser', { ...aliceSession, invite: 'bob', pass: guestPass });
    const bob = await stock('joinRoom', { roomName: room, user: 'bob', userpass: guestPass });
    const bobSession = { roomName: room, user: 'bob', sesskey: bob.session };

    const plaintext = JSON.stringify({
      user: 'alice',
      text: 'hello from gpg — ünïcödé',
      verb: 'say',
    });
    const msg = await gpg.encryptForRoom(plaintext, roomPass);
    expect(msg).toMatch(
      /^([A-Za-z0-9+/=]{76}\n)+[A-Za-z0-9+/=]{1,76}\n$|^([A-Za-z0-9+/=]{76}\n)+$/,
    );
    const sent = await stock('sendMsg', { ...aliceSession, msg });
    expect(sent).toMatchObject({ status: 'ok', msgid: expect.any(Number) });

    const polled = await stock('pollMsg', { ...bobSession, mylast: bob.last as number });
    expect(polled.status).toBe('updated');
    const rows = polled.messages as MessageRow[];
    const fromAlice = rows.filter((r) => r[3] === 'alice');
    expect(fromAlice).toHaveLength(1);
    expect(fromAlice[0]![1]).toBe(msg);
    expect(JSON.parse(await gpg.decrypt(fromAlice[0]![1], roomPass))).toEqual(
      JSON.parse(plaintext),
    );

    const system = rows.filter((r) => r[3] === 'SYSTEM');
    expect(system.length).toBeGreaterThan(0);
    const texts = await Promise.all(
      system.map(
        async (r) =>
          JSON.parse(await gpg.decrypt(r[1], bob.syskey as string)) as {
            text: string;
            verb: string;
          },
      ),
    );
    expect(texts).toContainEqual({ text: 'User "bob" joined the room', verb: 'sysinfo' });
    expect(rows.every((r) => typeof r[2] === 'number')).toBe(true);
  });
});
