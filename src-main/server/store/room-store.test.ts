import { afterEach, describe, expect, it } from 'vitest';
import { ROOM_WIDE } from '../../../src-shared/protocol';
import { RoomStore, type StoreOptions } from './room-store';

/** Sees every row: all tests send room-wide or to READER, never from READER. */
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

function rows(store: RoomStore, roomId: number) {
  return store.messagesFor(roomId, READER, 0, EVERYTHING);
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

    // A join deletes the room's history before a time.
    store.deleteRoomMessagesBefore(a, t0 + 5_000);
    expect(rows(store, a).map((r) => r[1].slice(0, 2))).toEqual(['a5', 'a6']);
    expectTotalsRight(store, live);

    // The purge deletes old messages in every room.
    expect(store.deleteMessagesBefore(t0 + 15_000)).toBe(4);
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
      const answer = store.messagesFor(id, READER, mylast, 1_000);
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
    expect(store.messagesFor(id, READER, 0, 10 * 400).map((r) => r[0])).toEqual(
      visible.slice(0, 400),
    );
  });
});
