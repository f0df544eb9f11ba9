import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../index';
import {
  createRoom,
  expectRefused,
  invite,
  join,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { testAgent } from '../testing/raw-client';
import { call, startTestServer } from '../testing/server-fixture';

let server: RunningServer;
let url: string;
let agent: https.Agent;

beforeAll(async () => {
  ({ server } = await startTestServer({ createThrottle: { perAddress: 1000 } }));
  url = server.url;
  agent = testAgent({ maxSockets: 4 });
});

afterAll(async () => {
  agent.destroy();
  await server.close();
});

const opts = () => ({ agent });
const OWN = 'AMYS-OWN-PASSWORD-0123';

/** A room where amy joined with her invite's password, then replaced it with her own. */
async function usedInvite() {
  const room = uniqueRoomName('used');
  const ownerPass = stockPassword();
  await createRoom(url, room, 'olive', ownerPass, opts());
  const owner = await join(url, room, 'olive', ownerPass, opts());
  const invitePass = stockPassword();
  await invite(url, owner, 'amy', invitePass, opts());
  const amy = await join(url, room, 'amy', invitePass, opts());
  const set = await call(url, 'setPassword', { ...session(amy), newpass: OWN }, opts());
  expect(set.status).toBe(200);
  const joinAs = (userpass: string, explain?: true) =>
    call(
      url,
      'joinRoom',
      { roomName: room, user: 'amy', userpass, ...(explain ? { explain } : {}) },
      opts(),
    );
  return { room, invitePass, joinAs };
}

describe('inviteused: a join with an invite already used says so, when asked', () => {
  it('answers {"status":"used"} to the invite’s password with explain, and a bare 403 without', async () => {
    const { invitePass, joinAs } = await usedInvite();
    expect((await joinAs(invitePass, true)).json).toEqual({ status: 'used' });
    // The stock client never asks: it sees the stock answer.
    expectRefused(await joinAs(invitePass), 403);
    expect((await joinAs(OWN, true)).json).toMatchObject({ status: 'ok' });
  });

  it('tells a guess nothing: any other password is a bare 403, explain or not', async () => {
    const { joinAs } = await usedInvite();
    expectRefused(await joinAs('NOTTHEPASSWORD00', true), 403);
    expectRefused(await joinAs(stockPassword(), true), 403);
  });

  it('answers a wrong password for an account never replaced with a bare 403; only true asks', async () => {
    const room = uniqueRoomName('unused');
    const ownerPass = stockPassword();
    await createRoom(url, room, 'olive', ownerPass, opts());
    const owner = await join(url, room, 'olive', ownerPass, opts());
    await invite(url, owner, 'amy', stockPassword(), opts());
    const res = await call(
      url,
      'joinRoom',
      { roomName: room, user: 'amy', userpass: 'WRONGPASSWORD000', explain: true },
      opts(),
    );
    expectRefused(res, 403);
    // Only `true` asks.
    expectRefused(
      await call(
        url,
        'joinRoom',
        { roomName: room, user: 'amy', userpass: 'WRONGPASSWORD000', explain: 'yes' },
        opts(),
      ),
      400,
    );
  });
});
