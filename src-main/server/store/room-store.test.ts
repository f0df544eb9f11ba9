import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOM_WIDE, type MessageRow } from '../../../src-shared/protocol';
import { EncodedJson } from './encoded-json';
import { RoomStore, type PollRows, type StoreOptions } from './room-store';
import { openDatabase } from './sqlite-engine';

/** Sees every row sent by the helpers below (room-wide or to READER, never from READER). */
const READER = 'reader';
const EVERYTHING = Number.MAX_SAFE_INTEGER;

const stores: RoomStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function open(options: Partial<StoreOptions> = {}): RoomStore {
  const store = new RoomStore({
    messagesPerRoom: 1_000,
    messageBytesPerRoom: 1_000_000,
    messageBytesPerServer: 10_000_000,
    ...options,
  });
  stores.push(store);
  return store;
}

let roomCounter = 0;
function room(store: RoomStore): number {
  roomCounter += 1;
  return store.createRoom(`room${roomCounter}`, 'owner', 'hash', Date.now());
}

/** A message of exactly `bytes` base64 characters, tagged so it can be told apart. */
function msg(tag: string, bytes: number): string {
  return tag.padEnd(bytes, 'A');
}

function insert(
  store: RoomStore,
  roomId: number,
  text: string,
  at = Date.now(),
  toUser = ROOM_WIDE,
) {
  return store.insertMessage({ roomId, msg: text, fromUser: 'writer', toUser }, at);
}

/** The answer's bytes, as the transport sends them. */
function wire(answer: PollRows): Buffer {
  return Buffer.concat(EncodedJson.chunksOf(answer.json));
}

/** A poll answer's rows as a client reads them. */
function read(store: RoomStore, roomId: number, after = 0, maxBytes = EVERYTHING): MessageRow[] {
  const answer = store.messagesFor(roomId, READER, after, maxBytes);
  const decoded = JSON.parse(wire(answer).toString('utf8')) as MessageRow[];
  expect(decoded).toHaveLength(answer.count);
  return decoded;
}

function rows(store: RoomStore, roomId: number) {
  return read(store, roomId);
}

/** What the running totals must equal: the bytes actually stored, counted the slow way. */
function expectTotalsRight(store: RoomStore, roomIds: number[]): void {
  let all = 0;
  for (const id of roomIds) {
    const actual = rows(store, id).reduce((sum, r) => sum + r[1].length, 0);
    expect(store.roomMessageBytes(id), `room ${id}`).toBe(actual);
    all += actual;
  }
  expect(store.messageBytes()).toBe(all);
}

describe('running message byte totals', () => {
  it('stay right through every way a message is stored or deleted', () => {
    const store = open({ messagesPerRoom: 4, messageBytesPerRoom: 1_000 });
    const a = room(store);
    const b = room(store);
    const c = room(store);
    const t0 = 1_700_000_000_000;
    const live = [a, b, c];

    // Inserts, room-wide and direct.
    insert(store, a, msg('a1', 100), t0);
    insert(store, a, msg('a2', 50), t0, READER);
    insert(store, b, msg('b1', 300), t0);
    insert(store, c, msg('c1', 70), t0);
    expectTotalsRight(store, live);
    expect(store.messageBytes()).toBe(520);

    // The count cap drops the room's oldest.
    for (let i = 3; i <= 6; i++) insert(store, a, msg(`a${i}`, 10 * i), t0 + i * 1_000);
    expect(rows(store, a).map((r) => r[1].slice(0, 2))).toEqual(['a3', 'a4', 'a5', 'a6']);
    expectTotalsRight(store, live);

    // The byte cap drops the room's oldest.
    insert(store, b, msg('b2', 400), t0 + 10_000);
    insert(store, b, msg('b3', 400), t0 + 20_000);
    expect(rows(store, b).map((r) => r[1].slice(0, 2))).toEqual(['b2', 'b3']);
    expectTotalsRight(store, live);

    // A join hides the room's history before a time from the joiner only: nothing is deleted.
    const hidden = store.idBeforeWindow(a, t0 + 5_000);
    expect(read(store, a, hidden).map((r) => r[1].slice(0, 2))).toEqual(['a5', 'a6']);
    expect(rows(store, a).map((r) => r[1].slice(0, 2))).toEqual(['a3', 'a4', 'a5', 'a6']);
    expect(store.idBeforeWindow(a, t0 + 60_000)).toBe(store.newestMessageId(a));
    expectTotalsRight(store, live);

    // The purge deletes old messages in every room.
    expect(store.deleteMessagesBefore(t0 + 15_000)).toBe(6);
    expectTotalsRight(store, live);

    // Closing a room deletes its messages by cascade.
    insert(store, c, msg('c2', 90), t0 + 30_000);
    store.deleteRoom(c);
    expect(rows(store, c)).toEqual([]);
    expect(store.roomMessageBytes(c)).toBe(0);
    expectTotalsRight(store, [a, b]);
    expect(store.messageBytes()).toBe(400);

    // A failed transaction leaves the totals as they were.
    expect(() =>
      store.transaction(() => {
        insert(store, a, msg('x', 200));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expectTotalsRight(store, [a, b]);
    expect(store.messageBytes()).toBe(400);
  });
});

describe('the byte cap of a room', () => {
  it('drops that room oldest first and never the message just stored, leaving other rooms alone', () => {
    const store = open({ messageBytesPerRoom: 1_000 });
    const busy = room(store);
    const quiet = room(store);
    insert(store, quiet, msg('q', 600));
    for (let i = 0; i < 10; i++) insert(store, busy, msg(`m${i}`, 300));
    expect(rows(store, busy).map((r) => r[1].slice(0, 2))).toEqual(['m7', 'm8', 'm9']);
    expect(store.roomMessageBytes(busy)).toBe(900);
    expect(rows(store, quiet)).toHaveLength(1);

    // One message larger than the whole cap (possible only with a lowered cap) is still kept.
    const big = insert(store, busy, msg('big', 1_500));
    expect(rows(store, busy).map((r) => r[0])).toEqual([big]);
    expectTotalsRight(store, [busy, quiet]);
  });
});

describe('the byte budget of the server', () => {
  it('refuses a message that would exceed it, storing and dropping nothing', () => {
    const store = open({ messageBytesPerRoom: 10_000, messageBytesPerServer: 1_000 });
    const first = room(store);
    const second = room(store);
    insert(store, first, msg('f1', 400));
    insert(store, second, msg('s1', 500));
    const before = [rows(store, first), rows(store, second)];

    expect(insert(store, second, msg('s2', 101))).toBeUndefined();
    expect([rows(store, first), rows(store, second)]).toEqual(before);
    expect(store.messageBytes()).toBe(900);

    expect(insert(store, second, msg('s3', 100))).toEqual(expect.any(Number));
    expect(store.messageBytes()).toBe(1_000);
    expect(insert(store, first, msg('f2', 1))).toBeUndefined();
    // Exempt notices go in over the budget, and count towards it.
    const notice = { roomId: first, msg: msg('n', 50), fromUser: 'SYSTEM', toUser: ROOM_WIDE };
    expect(store.insertMessage(notice, Date.now(), { exemptFromServerBudget: true })).toEqual(
      expect.any(Number),
    );
    expect(store.messageBytes()).toBe(1_050);
    expectTotalsRight(store, [first, second]);
  });

  it('counts a room net of its own drops: a room at its cap keeps talking when the server is full', () => {
    const store = open({ messageBytesPerRoom: 500, messageBytesPerServer: 900 });
    const full = room(store);
    const other = room(store);
    for (let i = 0; i < 5; i++) insert(store, full, msg(`f${i}`, 100));
    for (let i = 0; i < 4; i++) insert(store, other, msg(`o${i}`, 100));
    expect(store.messageBytes()).toBe(900);
    expect(insert(store, full, msg('f5', 200))).toEqual(expect.any(Number));
    expect(rows(store, full).map((r) => r[1].slice(0, 2))).toEqual(['f2', 'f3', 'f4', 'f5']);
    // A room below its own cap would grow the total: refused, and it keeps all it had.
    expect(insert(store, other, msg('o4', 100))).toBeUndefined();
    expect(rows(store, other)).toHaveLength(4);
    expectTotalsRight(store, [full, other]);
  });
});

describe('one poll answer', () => {
  it('holds the oldest rows up to the byte cap, at least one, and the rest follows from its newest id', () => {
    const store = open();
    const id = room(store);
    const sizes = [300, 300, 300, 500, 2_000, 10, 10];
    const ids = sizes.map((bytes, i) => insert(store, id, msg(`m${i}`, bytes)) as number);

    const answers: number[][] = [];
    let mylast = 0;
    for (;;) {
      const answer = read(store, id, mylast, 1_000);
      if (answer.length === 0) break;
      answers.push(answer.map((r) => r[0]));
      mylast = Math.max(...answer.map((r) => r[0]));
    }
    // 900 fits, 1,400 would not; 500 alone; 2,000 alone (never an empty answer); then the rest.
    expect(answers).toEqual([ids.slice(0, 3), [ids[3]], [ids[4]], ids.slice(5)]);
  });
});

describe('a poll answer longer than one page of rows', () => {
  it('reads on across pages, skips what the reader may not see, and still stops at the byte cap', () => {
    const store = open();
    const id = room(store);
    const visible: number[] = [];
    for (let i = 0; i < 700; i++) {
      // Every third row is a direct message to someone else: the pages must skip it.
      const toUser = i % 3 === 2 ? 'someone-else' : ROOM_WIDE;
      const inserted = insert(store, id, msg(`m${i}`, 10), Date.now(), toUser) as number;
      if (toUser === ROOM_WIDE) visible.push(inserted);
    }
    expect(rows(store, id).map((r) => r[0])).toEqual(visible);
    expect(read(store, id, 0, 10 * 400).map((r) => r[0])).toEqual(visible.slice(0, 400));
  });
});

/** A row as inserted: what the reference answer below is computed from. */
interface Sent {
  id: number;
  msg: string;
  at: number;
  from: string;
  to: string;
}

/**
 * A string as the answer carries it: the bytes the store's engine binds it as (better-sqlite3
 * keeps a lone surrogate as WTF-8, node:sqlite as U+FFFD), decoded as the store decodes them.
 */
const echo = openDatabase(':memory:').prepare('SELECT CAST(? AS BLOB) AS s');
const stored = (text: string) => (echo.get(text) as { s: Buffer }).s.toString('utf8');

/**
 * The answer as the store built it before SQLite wrote the JSON: every row read into
 * JavaScript, the byte budget counted row by row, then JSON.stringify.
 */
function referenceAnswer(sent: Sent[], reader: string, after: number, maxBytes: number): string {
  const out: MessageRow[] = [];
  let bytes = 0;
  for (const r of sent) {
    if (r.id <= after || !(r.to === ROOM_WIDE || (r.to === reader && r.from !== reader))) continue;
    bytes += r.msg.length;
    if (out.length > 0 && bytes > maxBytes) break;
    out.push([r.id, stored(r.msg), r.at / 1000, stored(r.from), stored(r.to)]);
  }
  return JSON.stringify(out);
}

function sendAll(store: RoomStore, roomId: number, rows: Omit<Sent, 'id'>[]): Sent[] {
  return rows.map((r) => ({
    ...r,
    id: store.insertMessage({ roomId, msg: r.msg, fromUser: r.from, toUser: r.to }, r.at) as number,
  }));
}

function expectSameAnswer(
  store: RoomStore,
  roomId: number,
  sent: Sent[],
  reader: string,
  after: number,
  maxBytes: number,
): number {
  const answer = store.messagesFor(roomId, reader, after, maxBytes);
  const expected = referenceAnswer(sent, reader, after, maxBytes);
  // Byte for byte, not only equal once parsed: clients must see no difference at all.
  expect(wire(answer).toString('latin1')).toBe(Buffer.from(expected).toString('latin1'));
  expect(answer.count).toBe((JSON.parse(expected) as unknown[]).length);
  return answer.count;
}

const T0 = 1_764_892_046_123;
const plain = (bytes: number, i: number, at = T0 + i * 1_001): Omit<Sent, 'id'> => ({
  msg: msg(`m${i}`, bytes),
  at,
  from: 'writer',
  to: ROOM_WIDE,
});

describe('a poll answer written by SQLite', () => {
  it('ends exactly at the byte budget: a row that reaches it is in, one byte more is out', () => {
    const store = open();
    const id = room(store);
    const sent = sendAll(store, id, [plain(100, 0), plain(100, 1), plain(100, 2)]);
    expect(expectSameAnswer(store, id, sent, READER, 0, 300)).toBe(3);
    expect(expectSameAnswer(store, id, sent, READER, 0, 299)).toBe(2);
    expect(expectSameAnswer(store, id, sent, READER, 0, 200)).toBe(2);
    expect(expectSameAnswer(store, id, sent, READER, sent[0]!.id, 100)).toBe(1);
  });

  it('sends a single row over the budget alone, first or after others', () => {
    const store = open();
    const id = room(store);
    const sent = sendAll(store, id, [plain(500, 0), plain(10, 1), plain(500, 2), plain(10, 3)]);
    expect(expectSameAnswer(store, id, sent, READER, 0, 100)).toBe(1);
    expect(expectSameAnswer(store, id, sent, READER, sent[0]!.id, 100)).toBe(1);
    expect(expectSameAnswer(store, id, sent, READER, sent[1]!.id, 100)).toBe(1);
    expect(expectSameAnswer(store, id, sent, READER, sent[2]!.id, 100)).toBe(1);
  });

  it('is an empty array with no rows, or none the reader may see', () => {
    const store = open();
    const id = room(store);
    expect(expectSameAnswer(store, id, [], READER, 0, 100)).toBe(0);
    expect(wire(store.messagesFor(id, READER, 0, 100)).toString()).toBe('[]');
    const sent = sendAll(store, id, [
      { ...plain(10, 0), to: 'someone-else' },
      { ...plain(10, 1), from: READER, to: READER },
    ]);
    expect(expectSameAnswer(store, id, sent, READER, 0, 100)).toBe(0);
    expect(expectSameAnswer(store, id, sent, READER, sent[1]!.id, 100)).toBe(0);
  });

  it('carries on across pages, and stops at a page boundary when the budget ends there', () => {
    const store = open();
    const id = room(store);
    const sent = sendAll(
      store,
      id,
      Array.from({ length: 600 }, (_, i) => plain(i === 256 ? 50 : 10, i)),
    );
    expect(expectSameAnswer(store, id, sent, READER, 0, EVERYTHING)).toBe(600);
    // Exactly one page fits; the next page's first row would pass the budget.
    expect(expectSameAnswer(store, id, sent, READER, 0, 256 * 10)).toBe(256);
    expect(expectSameAnswer(store, id, sent, READER, 0, 256 * 10 + 49)).toBe(256);
    expect(expectSameAnswer(store, id, sent, READER, 0, 256 * 10 + 50)).toBe(257);
    expect(expectSameAnswer(store, id, sent, READER, 0, 400 * 10 + 40)).toBe(400);
    // The next page's first row, alone over the budget, is not the answer's first: it waits.
    expect(expectSameAnswer(store, id, sent, READER, sent[255]!.id, 10)).toBe(1);
  });

  it('writes whole and fractional seconds as JSON.stringify does', () => {
    const store = open();
    const id = room(store);
    const times = [1_700_000_000_000, 1_700_000_000_500, 1_700_000_000_001, 999, 0, T0];
    const sent = sendAll(
      store,
      id,
      times.map((at, i) => plain(10, i, at)),
    );
    expectSameAnswer(store, id, sent, READER, 0, EVERYTHING);
  });

  it('escapes hostile names and content exactly as JSON.stringify does, and stays valid UTF-8', () => {
    const hostile = [
      'q"uote',
      'back\\slash',
      '\\"',
      '</script>',
      "'",
      'é名😀',
      'e\u0301',
      '\u2028\u2029',
      '\u00a0\ufeff',
      '\u0000\u0001\u001f\u007f\u0085',
      '\b\f\n\r\t\v',
      'lone\ud800',
      '\udc00x\ud83d',
      '\uffff\ud83d\ude00',
    ];
    const store = open();
    const id = room(store);
    const sent = sendAll(
      store,
      id,
      hostile.flatMap((name, i) => [
        { ...plain(10, i), from: name, msg: `${name}=` },
        { ...plain(10, i), to: name },
        { ...plain(10, i), from: name, to: READER },
      ]),
    );
    expectSameAnswer(store, id, sent, READER, 0, EVERYTHING);
    for (const name of hostile) expectSameAnswer(store, id, sent, name, 0, EVERYTHING);
  });

  it('matches the row-by-row answer for any rows, reader, mylast and budget', () => {
    const hostileUnit = fc.oneof(
      fc.constantFrom('"', '\\', '\u2028', '\ud800', '\udfff', '\u0000', '😀', '0'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const name = fc.oneof(
      fc.constantFrom('writer', READER),
      fc.string({ unit: hostileUnit, minLength: 1, maxLength: 4 }),
    );
    const row = fc.record({
      msg: fc.integer({ min: 1, max: 40 }).map((n) => 'A'.repeat(n)),
      // Whole seconds now and then: SQLite and JSON.stringify write those differently.
      at: fc.oneof(
        fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }).map((s) => s * 1_000),
        fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }),
      ),
      from: name,
      to: fc.oneof(fc.constant(ROOM_WIDE), name),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 300 }),
        name,
        fc.nat(),
        fc.integer({ min: 1, max: 2_000 }),
        (rows, reader, skip, maxBytes) => {
          const store = open();
          const id = room(store);
          const sent = sendAll(store, id, rows);
          const after = sent.length === 0 ? 0 : sent[skip % sent.length]!.id - 1;
          expectSameAnswer(store, id, sent, reader, after, maxBytes);
          store.close();
          stores.splice(stores.indexOf(store), 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});
