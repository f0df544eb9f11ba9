import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageRow } from '../../../src-shared/protocol';
import type { RunningServer } from '../index';
import {
  drain,
  expectRefused,
  fakeCiphertext,
  openRoom,
  readCiphertext,
  session,
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
const KEY = 'retry-key-0123456789';
const texts = (rows: MessageRow[]) => rows.map((r) => readCiphertext(r[1]));

describe('sendkey: a retried send is stored once', () => {
  it('answers a repeated sendMsg with the first msgid and stores one row for everyone', async () => {
    const { owner, members } = await openRoom(url, uniqueRoomName('key'), 'olive', ['amy'], opts());
    const amy = members[0]!;
    const start = (await drain(url, amy, 0, opts())).at(-1)![0];
    const send = (text: string, sendkey?: string) =>
      call(
        url,
        'sendMsg',
        { ...session(owner), msg: fakeCiphertext(text), ...(sendkey ? { sendkey } : {}) },
        opts(),
      );
    const first = await send('plan', KEY);
    const again = await send('plan', KEY);
    // A retry whose text differs (encrypted again) still names the stored message.
    const third = await send('plan re-encrypted', KEY);
    expect(first.json).toMatchObject({ status: 'ok', msgid: expect.any(Number) });
    expect(again.json).toEqual(first.json);
    expect(third.json).toEqual(first.json);
    // Without a key, or with another one, a send is a new message as before.
    await send('plain');
    await send('plain');
    await send('other', 'another-key-0123456');
    expect(texts(await drain(url, amy, start, opts()))).toEqual([
      'plan',
      'plain',
      'plain',
      'other',
    ]);
  });

  it('scopes keys to the sender: another member reusing a key sends their own message', async () => {
    const { owner, members } = await openRoom(url, uniqueRoomName('key'), 'olive', ['amy'], opts());
    const amy = members[0]!;
    const start = (await drain(url, owner, 0, opts())).at(-1)![0];
    const a = await call(
      url,
      'sendMsg',
      { ...session(owner), msg: fakeCiphertext('mine'), sendkey: KEY },
      opts(),
    );
    const b = await call(
      url,
      'sendMsg',
      { ...session(amy), msg: fakeCiphertext('hers'), sendkey: KEY },
      opts(),
    );
    expect(b.json?.msgid).not.toBe(a.json?.msgid);
    expect(texts(await drain(url, owner, start, opts()))).toEqual(['mine', 'hers']);
  });

  it('answers a repeated DM with its msgid even after the recipient left', async () => {
    const { owner, members } = await openRoom(url, uniqueRoomName('key'), 'olive', ['amy'], opts());
    const amy = members[0]!;
    const dm = () =>
      call(
        url,
        'sendDirectMsg',
        { ...session(owner), to: 'amy', msg: fakeCiphertext('psst'), sendkey: KEY },
        opts(),
      );
    const start = (await drain(url, amy, 0, opts())).at(-1)![0];
    const first = await dm();
    expect(texts(await drain(url, amy, start, opts()))).toEqual(['psst']);
    expect((await call(url, 'leaveRoom', session(amy), opts())).status).toBe(200);
    expect((await dm()).json).toEqual(first.json);
  });

  it('refuses a malformed key with an empty 400', async () => {
    const { owner } = await openRoom(url, uniqueRoomName('key'), 'olive', [], opts());
    for (const sendkey of ['short', 'x'.repeat(65), 'has space 0123456789', 1234567890123456])
      expectRefused(
        await call(
          url,
          'sendMsg',
          { ...session(owner), msg: fakeCiphertext('x'), sendkey },
          opts(),
        ),
        400,
      );
  });
});
