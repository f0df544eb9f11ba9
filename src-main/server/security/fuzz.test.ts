import type https from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  actionResponses,
  isActionName,
  LIMITS,
  type MessageRow,
  ROOM_WIDE,
} from '../../../src-shared/protocol';
import { startServer, type RunningServer } from '../index';
import {
  drain,
  fakeCiphertext,
  invite,
  join,
  type Member,
  openRoom,
  poll,
  readCiphertext,
  session,
  stockPassword,
  uniqueRoomName,
} from '../testing/member-fixture';
import { api, type RawResponse, rawPost, testAgent } from '../testing/raw-client';

/**
 * Property-based fuzzing of the HTTP API. An attacker ("mallory", a member of her own room only,
 * connecting from 127.0.0.3) sends random, malformed and hostile requests while legit members of
 * the target room keep talking. The server must never crash or answer 500, must refuse with an
 * empty body, and must never let the attacker see or change the target room.
 */

const ATTACKER_ADDRESS = '127.0.0.3';
const RUNS = { structured: 1400, wrapped: 600, raw: 700 };

let server: RunningServer;
let legitAgent: https.Agent;
let attackerAgent: https.Agent;
let room: string;
let alice: Member;
let bob: Member;
let carol: Member;
let mallory: Member;
let barryPass: string;
let kimStale: Member;
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

const totals = { cases: 0, failures: 0, requests: 0 };
/** How the hostile requests were answered, to show the fuzzing reaches past the validator. */
const statuses = new Map<number, number>();

/** Everything the legit members sent, by tag, for the delivery invariants. */
const sent = { room: new Set<string>(), toAlice: new Set<string>(), toCarol: new Set<string>() };
const seen = { alice: [] as MessageRow[], carol: [] as MessageRow[] };
const cursor = { alice: 0, carol: 0 };
let lastMsgId = 0;
let legitCounter = 0;

// ---------------------------------------------------------------------------------------------
// Arbitraries

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '\ufeff',
  '\r\n',
  '\u2028',
  'SYSTEM',
  'system',
  'SYSTEM\u0000',
  ' SYSTEM',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE messages; --',
  '%s%s%n',
  '${7*7}',
  '<script>alert(1)</script>',
  '🙂'.repeat(40),
  'Z\u0351\u0352\u0353\u0354'.repeat(20),
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  '{}',
  '[]',
];

const loneSurrogates = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.constant('a'),
  ),
  maxLength: 20,
});

/** Over-limit strings; rare because each one costs a big body. */
const hugeString = fc
  .constantFrom(
    LIMITS.userNameLength + 1,
    LIMITS.roomNameLength + 1,
    LIMITS.passwordLength + 1,
    LIMITS.messageLength + 1,
    LIMITS.requestBodyBytes + 10,
  )
  .chain((n) => fc.constantFrom('A', 'é', '\u0000', '🙂').map((c) => c.repeat(n)));

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: hugeString },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(-1, -0, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 31, 10_000),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

const deepNesting = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { k: value };
  return value;
});

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepNesting },
);

/** Credentials the attacker can present; none of them is valid for the target room. */
function credentialSets(): Record<string, unknown>[] {
  return [
    session(mallory),
    { ...session(mallory), roomName: room },
    { roomName: room, user: 'alice', sesskey: mallory.sesskey },
    { roomName: room, user: 'alice', sesskey: `${room}-${'A'.repeat(48)}` },
    session(kimStale),
    { roomName: room, user: 'olive', sesskey: mallory.sesskey },
    { ...session(kimStale), user: 'olive' },
    { roomName: room, user: 'alice' },
    {},
  ];
}

/**
 * The `sendkey` extension's idempotency keys: the ones the legit members use (a collision must
 * never swallow or replace their messages), and malformed ones.
 */
const LEGIT_SEND_KEY = (n: number) => `legit-send-key-${String(n).padStart(6, '0')}`;
const sendKeyArbitrary = fc.oneof(
  fc.nat({ max: 50 }).map(LEGIT_SEND_KEY),
  fc.constantFrom('short', 'x'.repeat(65), 'has space in it 0123', ''),
  hostileValue,
);

const FIELD_EXTRAS: Record<
  string,
  (targets: fc.Arbitrary<string>) => fc.Arbitrary<Record<string, unknown>>
> = {
  createRoom: () =>
    fc.record(
      {
        owner: fc.constantFrom('mallory', 'SYSTEM'),
        pass: fc.constant(stockPassword()),
        admission: fc.constantFrom(true, false, 'yes'),
      },
      { requiredKeys: ['owner', 'pass'] },
    ),
  joinRoom: (t) =>
    fc.record(
      {
        user: t,
        userpass: fc.constantFrom(stockPassword(), 'AAAAAAAAAAAAAAAA'),
        newpass: fc.constantFrom(stockPassword(), 'short'),
        explain: fc.constantFrom(true, false, 'yes', 1),
      },
      { requiredKeys: ['user', 'userpass'] },
    ),
  pollMsg: () =>
    fc.record(
      {
        mylast: fc.oneof(fc.nat(), fc.constantFrom('0', '5', '00000000000000001')),
        wait: fc.constantFrom(0, 0.01),
        keys: fc.constantFrom(true, false, 1),
      },
      { requiredKeys: ['mylast'] },
    ),
  sendMsg: () =>
    fc.record(
      { msg: fc.constant(fakeCiphertext('mallory says')), sendkey: sendKeyArbitrary },
      { requiredKeys: ['msg'] },
    ),
  sendDirectMsg: (t) =>
    fc.record(
      { msg: fc.constant(fakeCiphertext('mallory whispers')), to: t, sendkey: sendKeyArbitrary },
      { requiredKeys: ['msg', 'to'] },
    ),
  inviteUser: (t) => fc.record({ invite: t, pass: fc.constant(stockPassword()) }),
  kickUser: (t) => fc.record({ kick: t }),
  banUser: (t) => fc.record({ kick: t }),
  setRoomLifetime: () =>
    fc.record({ messageLifetime: fc.constantFrom(10, 30, 60, 600, 601, 9, -1, 30.5, '60') }),
  publishKey: () =>
    fc.record({
      key: fc.oneof(
        fc
          .uint8Array({ minLength: 31, maxLength: 33 })
          .map((b) => Buffer.from(b).toString('base64url')),
        fc.constant('A'.repeat(43)),
      ),
      client: fc.constantFrom('app', 'browser', 'terminal', ''),
    }),
  admitMember: (t) => fc.record({ member: t, admit: fc.constantFrom(true, false, 0) }),
  setAdmission: () => fc.record({ on: fc.constantFrom(true, false, 'off') }),
  announceCapture: () => fc.record({ protected: fc.boolean() }),
  handKey: (t) =>
    fc.record({
      to: t,
      box: fc.oneof(
        fc
          .uint8Array({ minLength: 0, maxLength: 600 })
          .map((b) => Buffer.from(b).toString('base64url')),
        fc.string(),
      ),
    }),
  takeKeys: () => fc.record({}),
};

/** A plausible payload for the action, with fields dropped, replaced by hostile values, or added. */
function payloadArbitrary(action: unknown): fc.Arbitrary<Record<string, unknown>> {
  const targets = fc.constantFrom('alice', 'bob', 'carol', 'barry', 'mallory', 'SYSTEM', 'nobody');
  const extra =
    typeof action === 'string' && Object.hasOwn(FIELD_EXTRAS, action)
      ? FIELD_EXTRAS[action]
      : undefined;
  const extras = extra ? extra(targets) : fc.constant({});
  return fc
    .tuple(
      fc.constantFrom(...credentialSets()),
      extras,
      fc.dictionary(
        fc.constantFrom(
          'roomName',
          'user',
          'sesskey',
          'mylast',
          'msg',
          'to',
          'kick',
          'invite',
          'pass',
          'wait',
          'newpass',
          'sendkey',
          'explain',
          'messageLifetime',
          'key',
          'client',
          'keys',
          'member',
          'admit',
          'on',
          'protected',
        ),
        fc.oneof(hostileValue, fc.constant(undefined)),
        { maxKeys: 3 },
      ),
      fc.array(
        fc.tuple(
          fc.constantFrom('__proto__', 'constructor', 'isOwner', 'owner', 'admin'),
          hostileValue,
        ),
        {
          maxLength: 2,
        },
      ),
    )
    .map(([creds, extra, mutations, added]) => {
      const payload: Record<string, unknown> = { ...creds, ...extra };
      for (const [key, value] of Object.entries(mutations)) {
        if (value === undefined) delete payload[key];
        else payload[key] = value;
      }
      // defineProperty so that "__proto__" becomes an own key that JSON.stringify sends.
      for (const [key, value] of added) {
        Object.defineProperty(payload, key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      }
      return payload;
    });
}

const actionArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'PollMsg',
      'pollMsg ',
      'deleteEverything',
    ),
  },
  { weight: 1, arbitrary: hostileValue },
);

interface HostileRequest {
  action: unknown;
  payload: Record<string, unknown>;
  wrap: 'object' | 'string' | 'double-string';
}

const hostileRequest: fc.Arbitrary<HostileRequest> = actionArbitrary.chain((action) =>
  fc.record({
    action: fc.constant(action),
    payload: payloadArbitrary(action),
    wrap: fc.constantFrom(
      'object' as const,
      'object' as const,
      'string' as const,
      'double-string' as const,
    ),
  }),
);

function encodeRequest(r: HostileRequest): string {
  const payload =
    r.wrap === 'object'
      ? r.payload
      : r.wrap === 'string'
        ? JSON.stringify(r.payload)
        : JSON.stringify(JSON.stringify(r.payload));
  return JSON.stringify({ action: r.action, payload });
}

// ---------------------------------------------------------------------------------------------
// Judging each answer

function judgeShape(res: RawResponse, bodyBytes: number): void {
  expect(res.status, 'a hostile request must never cause a 500').not.toBe(500);
  // 415: a content type no real client sends, whatever the body.
  const allowed =
    bodyBytes > LIMITS.requestBodyBytes ? [400, 403, 413, 415] : [200, 400, 403, 415, 429];
  expect(allowed, `unexpected status ${res.status}`).toContain(res.status);
  if (res.status !== 200) expect(res.body, 'a refusal must have an empty body').toBe('');
}

/** A 200 must be valid for the stock client and must not hand the target room to the attacker. */
function judgeAnswer(
  action: unknown,
  payload: Record<string, unknown> | undefined,
  res: RawResponse,
): void {
  if (res.status !== 200) return;
  const json: unknown = JSON.parse(res.body);
  expect(isActionName(action), `200 for unknown action ${String(action)}`).toBe(true);
  if (!isActionName(action)) return;
  const parsed = actionResponses[action].safeParse(json);
  expect(
    parsed.success,
    `200 answer of ${action} breaks the wire format: ${res.body.slice(0, 200)}`,
  ).toBe(true);
  const answer = json as { status?: string; messages?: MessageRow[] };
  for (const row of answer.messages ?? []) {
    expect(
      readCiphertext(row[1]),
      'the attacker received a message of the target room',
    ).not.toMatch(/^R-/);
  }
  // The target room's clock is for its members only.
  if (action === 'serverInfo' && payload?.roomName === room)
    expect(json, 'the attacker read the target room clock').not.toMatchObject({ room: {} });
  // serverInfo without a session names no room; a joinRoom for an unknown user is 200 NOK by protocol.
  if (payload?.roomName === room && action !== 'serverInfo') {
    expect(
      action === 'joinRoom' && answer.status === 'NOK',
      `the attacker got 200 ${res.body.slice(0, 100)} for ${action} on the target room`,
    ).toBe(true);
  }
  if (action === 'joinRoom' && payload?.user === 'barry') expect(answer.status).not.toBe('ok');
}

async function sendHostile(
  body: string | Buffer,
  headers?: Record<string, string>,
): Promise<RawResponse> {
  totals.requests += 1;
  const res = await rawPost(server.url, body, {
    agent: attackerAgent,
    ...(headers ? { headers } : {}),
  });
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  return res;
}

// ---------------------------------------------------------------------------------------------
// Legit traffic, interleaved with the attack

async function legitStep(): Promise<void> {
  legitCounter += 1;
  const n = legitCounter;
  let res;
  if (n % 3 === 0) {
    const tag = `R-room-${n}`;
    sent.room.add(tag);
    res = await api(
      server.url,
      'sendMsg',
      { ...session(alice), msg: fakeCiphertext(tag), sendkey: LEGIT_SEND_KEY(n) },
      { agent: legitAgent },
    );
  } else {
    const to = n % 3 === 1 ? 'alice' : 'carol';
    const tag = `R-dm-${to}-${n}`;
    (to === 'alice' ? sent.toAlice : sent.toCarol).add(tag);
    res = await api(
      server.url,
      'sendDirectMsg',
      { ...session(bob), msg: fakeCiphertext(tag), to, sendkey: LEGIT_SEND_KEY(n) },
      { agent: legitAgent, payloadAsString: true },
    );
  }
  expect(res.status, `legit send after hostile traffic: ${res.status}`).toBe(200);
  const msgid = Number(res.json?.msgid);
  expect(msgid, 'message ids only grow').toBeGreaterThan(lastMsgId);
  lastMsgId = msgid;
  if (n % 10 === 0) await catchUp();
}

async function catchUp(): Promise<void> {
  for (const who of ['alice', 'carol'] as const) {
    const m = who === 'alice' ? alice : carol;
    const rows = await drain(server.url, m, cursor[who], { agent: legitAgent });
    for (const row of rows) {
      expect(row[0], `${who}: ids must ascend`).toBeGreaterThan(cursor[who]);
      cursor[who] = row[0];
    }
    seen[who].push(...rows);
  }
}

async function runProperty<T>(
  arb: fc.Arbitrary<T>,
  numRuns: number,
  check: (value: T) => Promise<void>,
) {
  const details = await fc.check(
    fc.asyncProperty(arb, async (value) => {
      await Promise.all([check(value), legitStep()]);
    }),
    { numRuns },
  );
  totals.cases += details.numRuns;
  if (details.failed) totals.failures += 1;
  expect(
    details.failed,
    `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`,
  ).toBe(false);
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  // The legit members here are a machine sending as fast as it can, not people typing: the
  // per-member send limit (send-throttle.test.ts) would slow them, not the attack.
  server = await startServer({ host: '127.0.0.1', port: 0, sendThrottle: { burst: 100_000 } });
  legitAgent = testAgent({ maxSockets: 4 });
  attackerAgent = testAgent({ maxSockets: 4, localAddress: ATTACKER_ADDRESS });
  room = uniqueRoomName('fuzz-target');
  const target = await openRoom(server.url, room, 'olive', ['alice', 'bob', 'carol', 'kim'], {
    agent: legitAgent,
  });
  [alice, bob, carol, kimStale] = target.members as [Member, Member, Member, Member];
  barryPass = stockPassword();
  await invite(server.url, target.owner, 'barry', barryPass, { agent: legitAgent });
  await join(server.url, room, 'barry', barryPass, { agent: legitAgent });
  const ban = await api(
    server.url,
    'banUser',
    { ...session(target.owner), kick: 'barry' },
    { agent: legitAgent },
  );
  expect(ban.status).toBe(200);
  const kick = await api(
    server.url,
    'kickUser',
    { ...session(target.owner), kick: 'kim' },
    { agent: legitAgent },
  );
  expect(kick.status).toBe(200);
  // The one-time kick notice is the only 200 a stale session may get; take it before the attack.
  expect(await poll(server.url, kimStale, 0, { agent: legitAgent })).toMatchObject({
    kind: 'errmessage',
  });
  cursor.alice = alice.joinedLast;
  cursor.carol = carol.joinedLast;
  await catchUp();
  seen.alice.length = 0;
  seen.carol.length = 0;
  const own = await openRoom(server.url, uniqueRoomName('fuzz-mallory'), 'mallory', [], {
    agent: attackerAgent,
  });
  mallory = own.owner;
});

afterAll(async () => {
  console.log(
    `fuzz: ${totals.cases} cases, ${totals.failures} failures (${totals.requests} hostile requests answered ${[
      ...statuses,
    ]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status} x${n}`)
      .join(', ')}; ${legitCounter} legit sends)`,
  );
  legitAgent?.destroy();
  attackerAgent?.destroy();
  await server?.close();
});

describe('hostile input fuzzing', () => {
  it('structured hostile requests: no 500, empty refusals, the target room untouched', async () => {
    await runProperty(
      fc.array(hostileRequest, { minLength: 1, maxLength: 3 }),
      RUNS.structured,
      async (requests) => {
        for (const r of requests) {
          const body = encodeRequest(r);
          const res = await sendHostile(body);
          judgeShape(res, Buffer.byteLength(body));
          judgeAnswer(r.action, r.payload, res);
        }
      },
    );
  }, 120_000);

  it('payload strings that are garbage or not objects are 400', async () => {
    const garbagePayload = fc.oneof(
      hostileString,
      fc.constantFrom(
        'null',
        '[]',
        '1',
        '"x"',
        'true',
        '{',
        '{"roomName":',
        '[{"roomName":"x"}]',
        '""',
      ),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      hostileRequest.map((r) => JSON.stringify(r.payload).slice(0, -1)),
    );
    await runProperty(
      fc.tuple(fc.constantFrom(...ACTION_NAMES.filter((a) => a !== 'serverInfo')), garbagePayload),
      RUNS.wrapped,
      async ([action, payload]) => {
        const body = JSON.stringify({ action, payload });
        const res = await sendHostile(body);
        judgeShape(res, Buffer.byteLength(body));
        let decoded: unknown;
        try {
          decoded = JSON.parse(payload);
        } catch {
          decoded = undefined;
        }
        if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
          // Over the body cap, the size is refused first (413).
          const refusal = Buffer.byteLength(body) > LIMITS.requestBodyBytes ? 413 : 400;
          expect(res.status, `payload ${JSON.stringify(payload).slice(0, 80)}`).toBe(refusal);
        } else {
          judgeAnswer(action, decoded as Record<string, unknown>, res);
        }
      },
    );
  }, 120_000);

  it('bodies that are not a JSON object, bad bytes and odd headers are refused cleanly', async () => {
    const valid = JSON.stringify({
      action: 'pollMsg',
      payload: { roomName: room, user: 'alice', mylast: 0 },
    });
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      hostileString,
      fc.constantFrom(
        '',
        'null',
        '[]',
        '1',
        '"pollMsg"',
        'true',
        '[{"action":"pollMsg"}]',
        '{}',
        '{"action":null}',
      ),
      fc.nat({ max: valid.length - 1 }).map((k) => valid.slice(0, k)),
      fc
        .integer({ min: 100, max: 20_000 })
        .map((n) => `{"action":"pollMsg","payload":${'['.repeat(n)}${']'.repeat(n)}}`),
      fc.constant('{"action":"pollMsg","action":"closeRoom","payload":{},"payload":{}}'),
      fc.constant(
        Buffer.concat([
          Buffer.from(
            `{"action":"joinRoom","payload":{"roomName":"${room}","user":"alice","userpass":"`,
          ),
          Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
          Buffer.from('"}}'),
        ]),
      ),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    );
    const headers = fc.constantFrom<Record<string, string> | undefined>(
      undefined,
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'application/json; charset=utf-16' },
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      { 'Content-Encoding': 'gzip' },
      { 'Content-Type': '' },
    );
    await runProperty(fc.tuple(rawBody, headers), RUNS.raw, async ([body, extraHeaders]) => {
      const res = await sendHostile(body, extraHeaders);
      judgeShape(res, Buffer.byteLength(body));
      expect(res.status, `raw body ${String(body).slice(0, 80)}`).not.toBe(200);
    });
  }, 120_000);

  it('afterwards: deliveries are exact, the banned user stays out, nothing was polluted', async () => {
    await catchUp();
    const tags = (rows: MessageRow[]) =>
      rows.filter((r) => r[3] !== 'SYSTEM').map((r) => readCiphertext(r[1]));
    const aliceTags = tags(seen.alice);
    const carolTags = tags(seen.carol);
    expect(new Set(aliceTags).size, 'alice: no duplicates').toBe(aliceTags.length);
    expect(new Set(carolTags).size, 'carol: no duplicates').toBe(carolTags.length);
    expect(aliceTags.sort()).toEqual([...sent.room, ...sent.toAlice].sort());
    expect(carolTags.sort()).toEqual([...sent.room, ...sent.toCarol].sort());
    for (const row of seen.alice) if (row[4] !== ROOM_WIDE) expect(row[4]).toBe('alice');
    for (const row of seen.carol) if (row[4] !== ROOM_WIDE) expect(row[4]).toBe('carol');

    const barry = await api(
      server.url,
      'joinRoom',
      { roomName: room, user: 'barry', userpass: barryPass },
      {
        agent: legitAgent,
      },
    );
    expect(barry.json?.status, 'a banned user must not get back in').not.toBe('ok');

    const info = await api(server.url, 'serverInfo', session(alice), { agent: legitAgent });
    expect(info.json?.room, "the attacker changed the target room's lifetime").toMatchObject({
      messageLifetime: 600,
    });

    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).isOwner).toBeUndefined();
    expect(totals.cases).toBe(RUNS.structured + RUNS.wrapped + RUNS.raw);
  });
});
