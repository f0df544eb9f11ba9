import { isUtf8 } from 'node:buffer';
import { ROOM_WIDE, type MessageRow } from '../../../src-shared/protocol';
import { EncodedJson } from './encoded-json';
import type { SqlDatabase, SqlStatement } from './sql-database';
import { openDatabase } from './sqlite-engine';

export interface RoomRecord {
  id: number;
  name: string;
  owner: string;
  lastActive: number;
}

export interface AccountRecord {
  name: string;
  passHash: string;
  inRoom: boolean;
  /** The password is the member's own (the owner's, or replaced by setPassword), not an inviter's. */
  ownPass: boolean;
  /** The hash of the invite's password that setPassword replaced, to say an invite was used. */
  inviteHash?: string;
}

export interface SessionRecord {
  user: string;
  keyHash: Buffer;
}

/** A user's current session: its key's digest and the oldest history it may read. */
export interface RoomSessionRecord {
  room: RoomRecord;
  keyHash: Buffer;
  /** Rows with an id up to this one predate the join's history window: the session never sees them. */
  hiddenUpTo: number;
  /** In the lobby: the owner has not admitted this session yet (admission). */
  waiting: boolean;
}

export interface MemberKeyRecord {
  key: string;
  client: string;
}

export interface NoticeRecord {
  id: number;
  keyHash: Buffer;
  text: string;
}

export interface NewMessage {
  roomId: number;
  msg: string;
  fromUser: string;
  toUser: string;
  /** The sender's idempotency key (the `sendkey` extension): one message per key and sender. */
  sendKey?: string;
}

export interface StoreOptions {
  /** ':memory:' (the default) keeps everything off disk. */
  file?: string;
  /** Oldest messages of a room are dropped beyond this many. */
  messagesPerRoom: number;
  /** Oldest messages of a room are dropped beyond this many bytes of `msg` text. */
  messageBytesPerRoom: number;
  /** A message that would take all rooms' `msg` text beyond this many bytes is refused. */
  messageBytesPerServer: number;
}

export interface InsertOptions {
  /** Store it even over the server's byte budget (notices whose count joins already bound). */
  exemptFromServerBudget?: boolean;
}

/** Thrown inside an insert's transaction to roll it back when the server budget is exceeded. */
class OverServerBudget extends Error {}

/** What a poll gets: its rows as JSON, as the wire carries them, and how many there are. */
export interface PollRows {
  /** `[[id,msg,ts,fromuser,touser],...]`, byte for byte what JSON.stringify of the rows gives. */
  json: EncodedJson<MessageRow[]>;
  count: number;
}

/**
 * Rows per statement of a poll's read: a whole 200-row backlog in one. A page's JSON holds at
 * most the answer's byte budget of msg text, so a large backlog is never encoded whole.
 */
const MESSAGE_PAGE_ROWS = 256;

/**
 * The rows a user's poll may see: room-wide, or addressed to them by someone else, newer than
 * an id. Binds roomId, after, ROOM_WIDE, user, user; by position, since binding by name would
 * add most of the cost of the probe that answers a quiet poll again.
 */
const VISIBLE_ROWS = `FROM messages
   WHERE room_id = ? AND id > ? AND (touser = ? OR (touser = ? AND fromuser <> ?))`;

/** Most polls find nothing new: one indexed probe says so, without the page's subqueries. */
const ANY_VISIBLE_ROW_SQL = `SELECT 1 ${VISIBLE_ROWS} LIMIT 1`;

/**
 * One page of a poll's rows as comma-separated JSON arrays: the first MESSAGE_PAGE_ROWS
 * visible rows, up to where their running total of msg bytes passes @budget, but the first row
 * whatever its size when @atLeastOne. SQLite writes the JSON: for 200 rows a fifth of the cost
 * of reading them into JavaScript and JSON.stringify-ing them.
 */
const MESSAGE_PAGE_SQL = `
WITH page AS NOT MATERIALIZED (
  SELECT id, msg, ts, fromuser, touser ${VISIBLE_ROWS}
   ORDER BY id LIMIT ${MESSAGE_PAGE_ROWS}
),
running AS NOT MATERIALIZED (
  SELECT id, SUM(octet_length(msg)) OVER byId AS upTo, ROW_NUMBER() OVER byId AS n
    FROM page WINDOW byId AS (ORDER BY id ROWS UNBOUNDED PRECEDING)
)
-- Rows reach group_concat in the page's id order, which it keeps: its own ORDER BY would sort
-- them again (a temporary b-tree, half as much again for 200 rows). The store tests pin the order.
-- JSON.stringify writes a whole number of seconds without ".0", SQLite with it: same bytes.
SELECT CAST(group_concat(
         json_array(id, msg, IIF(ts = CAST(ts AS INTEGER), CAST(ts AS INTEGER), ts), fromuser, touser),
         ',') AS BLOB) AS json,
       COUNT(*) AS count, MAX(id) AS lastId, SUM(octet_length(msg)) AS bytes
  FROM page
 -- Usually the whole page fits: checked first, so the window (a third of the cost) runs only
 -- for a page that must be cut.
 WHERE (SELECT SUM(octet_length(msg)) FROM page) <= @budget
    OR id <= (SELECT MAX(id) FROM running WHERE upTo <= @budget OR (n = 1 AND @atLeastOne))
`;

/**
 * The answer stays valid UTF-8 whatever the store holds. Validation refuses a name with a lone
 * surrogate (src-shared/protocol/fields.ts), but the store does not rely on it: SQLite would keep
 * such a name as WTF-8, which json_array copies as is and json.loads refuses. Decoded the way
 * better-sqlite3 decodes text (U+FFFD per bad byte). Checking costs ~1 µs per 100 KB.
 */
function wellFormed(json: Buffer): Buffer {
  return isUtf8(json) ? json : Buffer.from(json.toString('utf8'));
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const NOTHING: PollRows = { json: EncodedJson.trusted([OPEN, CLOSE]), count: 0 };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  owner TEXT NOT NULL,
  last_active REAL NOT NULL,
  -- 0 until someone first joins: an unjoined room's last_active is still its creation time,
  -- since every other activity needs a session.
  joined INTEGER NOT NULL DEFAULT 0,
  msg_bytes INTEGER NOT NULL DEFAULT 0,
  -- Member keys published so far (memberkeys): polls that ask carry it, so clients refetch keys.
  key_publications INTEGER NOT NULL DEFAULT 0,
  -- 1: the owner admits each newcomer (admission); 0: as the stock protocol, everyone at once.
  admission INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS users (
  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  pass_hash TEXT NOT NULL,
  in_room INTEGER NOT NULL DEFAULT 0,
  own_pass INTEGER NOT NULL DEFAULT 0,
  invite_hash TEXT,
  PRIMARY KEY (room_id, name)
);
CREATE TABLE IF NOT EXISTS sessions (
  room_id INTEGER NOT NULL,
  user TEXT NOT NULL,
  key_hash BLOB NOT NULL,
  hidden_up_to INTEGER NOT NULL,
  -- The session's member key and client kind (memberkeys): it goes with the session, so a new
  -- join, a leave, a kick, a ban or the room's close all drop it.
  member_key TEXT,
  client_kind TEXT,
  -- 1 while the session waits in the lobby for the owner to admit it (admission).
  waiting INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user),
  FOREIGN KEY (room_id, user) REFERENCES users(room_id, name) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  room_id INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  msg TEXT NOT NULL,
  ts REAL NOT NULL,
  fromuser TEXT NOT NULL,
  touser TEXT NOT NULL,
  send_key TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_room ON messages(room_id, id);
-- Kept as long as the message: a retried send whose answer was lost finds it here.
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_send_key ON messages(room_id, fromuser, send_key)
  WHERE send_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS message_bytes (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  total INTEGER NOT NULL
);
INSERT OR IGNORE INTO message_bytes (id, total) VALUES (1, 0);
-- Running byte totals, kept by triggers so that every way a message goes (the caps, purges,
-- joins, a room's cascade on close) keeps them right, rollbacks included, without a SUM per insert.
CREATE TRIGGER IF NOT EXISTS message_bytes_insert AFTER INSERT ON messages BEGIN
  UPDATE rooms SET msg_bytes = msg_bytes + octet_length(NEW.msg) WHERE id = NEW.room_id;
  UPDATE message_bytes SET total = total + octet_length(NEW.msg);
END;
CREATE TRIGGER IF NOT EXISTS message_bytes_delete AFTER DELETE ON messages BEGIN
  UPDATE rooms SET msg_bytes = msg_bytes - octet_length(OLD.msg) WHERE id = OLD.room_id;
  UPDATE message_bytes SET total = total - octet_length(OLD.msg);
END;
CREATE TABLE IF NOT EXISTS notices (
  id INTEGER PRIMARY KEY,
  room_name TEXT NOT NULL,
  user TEXT NOT NULL,
  key_hash BLOB NOT NULL,
  text TEXT NOT NULL,
  created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS notices_by_user ON notices(room_name, user);
`;

/** All room state. Times are milliseconds since the epoch except message `ts` (seconds, the wire format). */
export class RoomStore {
  private readonly db: SqlDatabase;
  private readonly messagesPerRoom: number;
  private readonly messageBytesPerRoom: number;
  private readonly messageBytesPerServer: number;
  private readonly statements = new Map<string, SqlStatement>();

  constructor(options: StoreOptions) {
    this.db = openDatabase(options.file ?? ':memory:');
    this.messagesPerRoom = options.messagesPerRoom;
    this.messageBytesPerRoom = options.messageBytesPerRoom;
    this.messageBytesPerServer = options.messageBytesPerServer;
    // Large sorts must not spill into temporary files: nothing may reach the disk.
    this.db.exec('PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON;');
    this.db.exec(SCHEMA);
  }

  /**
   * Statements compile once and are reused: SQLite's parse and plan cost more than the small
   * indexed lookups a poll makes.
   */
  private prepared(sql: string): SqlStatement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  close(): void {
    // Testing mode keeps a file: leave nothing readable behind in it either.
    this.db.exec(
      'DELETE FROM notices; DELETE FROM messages; DELETE FROM sessions; DELETE FROM users; DELETE FROM rooms;',
    );
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  roomCount(): number {
    return (this.prepared('SELECT COUNT(*) AS n FROM rooms').get() as { n: number }).n;
  }

  roomByName(name: string): RoomRecord | undefined {
    return this.prepared(
      'SELECT id, name, owner, last_active AS lastActive FROM rooms WHERE name = ?',
    ).get(name) as RoomRecord | undefined;
  }

  roomById(id: number): RoomRecord | undefined {
    return this.prepared(
      'SELECT id, name, owner, last_active AS lastActive FROM rooms WHERE id = ?',
    ).get(id) as RoomRecord | undefined;
  }

  roomsIdleSince(before: number): RoomRecord[] {
    return this.prepared(
      'SELECT id, name, owner, last_active AS lastActive FROM rooms WHERE last_active < ?',
    ).all(before) as RoomRecord[];
  }

  /** Rooms created before `before` that nobody has joined since. */
  roomsUnjoinedSince(before: number): RoomRecord[] {
    return this.prepared(
      'SELECT id, name, owner, last_active AS lastActive FROM rooms WHERE joined = 0 AND last_active < ?',
    ).all(before) as RoomRecord[];
  }

  createRoom(name: string, owner: string, ownerPassHash: string, now: number): number {
    return this.transaction(() => {
      const { lastInsertRowid } = this.prepared(
        'INSERT INTO rooms (name, owner, last_active) VALUES (?, ?, ?)',
      ).run(name, owner, now);
      const id = Number(lastInsertRowid);
      this.prepared(
        'INSERT INTO users (room_id, name, pass_hash, own_pass) VALUES (?, ?, ?, 1)',
      ).run(id, owner, ownerPassHash);
      return id;
    });
  }

  deleteRoom(roomId: number): void {
    this.prepared('DELETE FROM rooms WHERE id = ?').run(roomId);
  }

  touchRoom(roomId: number, now: number): void {
    this.prepared('UPDATE rooms SET last_active = ? WHERE id = ?').run(now, roomId);
  }

  account(roomId: number, name: string): AccountRecord | undefined {
    const row = this.prepared(
      `SELECT name, pass_hash AS passHash, in_room AS inRoom, own_pass AS ownPass,
              invite_hash AS inviteHash
         FROM users WHERE room_id = ? AND name = ?`,
    ).get(roomId, name) as
      | {
          name: string;
          passHash: string;
          inRoom: number;
          ownPass: number;
          inviteHash: string | null;
        }
      | undefined;
    return (
      row && {
        name: row.name,
        passHash: row.passHash,
        inRoom: row.inRoom === 1,
        ownPass: row.ownPass === 1,
        ...(row.inviteHash !== null ? { inviteHash: row.inviteHash } : {}),
      }
    );
  }

  /** Every account's name, joined or only invited. */
  accountNames(roomId: number): string[] {
    return (
      this.prepared('SELECT name FROM users WHERE room_id = ?').all(roomId) as { name: string }[]
    ).map((r) => r.name);
  }

  /** The member's own password from now on (setPassword); the invite's is kept to recognise it. */
  replacePassword(roomId: number, name: string, passHash: string): void {
    this.prepared(
      `UPDATE users SET invite_hash = pass_hash, pass_hash = ?, own_pass = 1
        WHERE room_id = ? AND name = ?`,
    ).run(passHash, roomId, name);
  }

  accountCount(roomId: number): number {
    return (
      this.prepared('SELECT COUNT(*) AS n FROM users WHERE room_id = ?').get(roomId) as {
        n: number;
      }
    ).n;
  }

  addAccount(roomId: number, name: string, passHash: string): void {
    this.prepared('INSERT INTO users (room_id, name, pass_hash) VALUES (?, ?, ?)').run(
      roomId,
      name,
      passHash,
    );
  }

  deleteAccount(roomId: number, name: string): void {
    this.prepared('DELETE FROM users WHERE room_id = ? AND name = ?').run(roomId, name);
  }

  /**
   * Sets the session's member key unless it has one: true when set. Counts the publication for
   * the room in the same statement's transaction.
   */
  publishMemberKey(roomId: number, user: string, key: string, client: string): boolean {
    return this.transaction(() => {
      const { changes } = this.prepared(
        `UPDATE sessions SET member_key = ?, client_kind = ?
           WHERE room_id = ? AND user = ? AND member_key IS NULL`,
      ).run(key, client, roomId, user);
      if (changes === 0) return false;
      this.prepared('UPDATE rooms SET key_publications = key_publications + 1 WHERE id = ?').run(
        roomId,
      );
      return true;
    });
  }

  /** The current sessions' member keys in the room, by user (members without one are absent). */
  memberKeys(roomId: number): Map<string, MemberKeyRecord> {
    const rows = this.prepared(
      `SELECT user, member_key AS key, client_kind AS client FROM sessions
         WHERE room_id = ? AND member_key IS NOT NULL`,
    ).all(roomId) as (MemberKeyRecord & { user: string })[];
    return new Map(rows.map(({ user, key, client }) => [user, { key, client }]));
  }

  keyPublications(roomId: number): number {
    const row = this.prepared('SELECT key_publications AS n FROM rooms WHERE id = ?').get(
      roomId,
    ) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Whether the owner admits each newcomer (admission). */
  admission(roomId: number): boolean {
    const row = this.prepared('SELECT admission FROM rooms WHERE id = ?').get(roomId) as
      { admission: number } | undefined;
    return row?.admission === 1;
  }

  setAdmission(roomId: number, on: boolean): void {
    this.prepared('UPDATE rooms SET admission = ? WHERE id = ?').run(on ? 1 : 0, roomId);
  }

  /** Puts the user's current session in the lobby (true) or lets it in from `hiddenUpTo` on. */
  setWaiting(roomId: number, user: string, waiting: boolean, hiddenUpTo?: number): void {
    this.prepared(
      `UPDATE sessions SET waiting = ?, hidden_up_to = COALESCE(?, hidden_up_to)
         WHERE room_id = ? AND user = ?`,
    ).run(waiting ? 1 : 0, hiddenUpTo ?? null, roomId, user);
  }

  /** Names whose session waits in the lobby. */
  waitingMembers(roomId: number): string[] {
    return (
      this.prepared(
        'SELECT user FROM sessions WHERE room_id = ? AND waiting = 1 ORDER BY user',
      ).all(roomId) as { user: string }[]
    ).map((r) => r.user);
  }

  membersInRoom(roomId: number): string[] {
    return (
      this.prepared('SELECT name FROM users WHERE room_id = ? AND in_room = 1 ORDER BY name').all(
        roomId,
      ) as {
        name: string;
      }[]
    ).map((r) => r.name);
  }

  /**
   * Replaces any earlier session of the user: only the newest key is current. The session never
   * reads rows up to `hiddenUpTo` (history from before its join window).
   */
  enterRoom(roomId: number, name: string, keyHash: Buffer, hiddenUpTo: number): void {
    this.transaction(() => {
      this.prepared('UPDATE users SET in_room = 1 WHERE room_id = ? AND name = ?').run(
        roomId,
        name,
      );
      this.prepared(
        'INSERT OR REPLACE INTO sessions (room_id, user, key_hash, hidden_up_to) VALUES (?, ?, ?, ?)',
      ).run(roomId, name, keyHash, hiddenUpTo);
      this.prepared('UPDATE rooms SET joined = 1 WHERE id = ?').run(roomId);
    });
  }

  exitRoom(roomId: number, name: string): void {
    this.transaction(() => {
      this.prepared('UPDATE users SET in_room = 0 WHERE room_id = ? AND name = ?').run(
        roomId,
        name,
      );
      this.prepared('DELETE FROM sessions WHERE room_id = ? AND user = ?').run(roomId, name);
    });
  }

  session(roomId: number, user: string): SessionRecord | undefined {
    return this.prepared(
      'SELECT user, key_hash AS keyHash FROM sessions WHERE room_id = ? AND user = ?',
    ).get(roomId, user) as SessionRecord | undefined;
  }

  /**
   * The room and the user's session in it: every authenticated request asks. Two indexed
   * lookups, not a join: as fast on better-sqlite3, and node:sqlite's build runs the join ~5x
   * slower (~60 µs against ~10, same query plan).
   */
  roomSession(roomName: string, user: string): RoomSessionRecord | undefined {
    const row = this.prepared(
      `SELECT r.id, r.name, r.owner, r.last_active AS lastActive, s.key_hash AS keyHash,
              s.hidden_up_to AS hiddenUpTo, s.waiting
         FROM rooms r JOIN sessions s ON s.room_id = r.id AND s.user = ? WHERE r.name = ?`,
    ).get(user, roomName) as
      (RoomRecord & { keyHash: Buffer; hiddenUpTo: number; waiting: number }) | undefined;
    if (!row) return undefined;
    const { keyHash, hiddenUpTo, waiting, ...room } = row;
    return { room, keyHash, hiddenUpTo, waiting: waiting === 1 };
  }

  sessions(roomId: number): SessionRecord[] {
    return this.prepared('SELECT user, key_hash AS keyHash FROM sessions WHERE room_id = ?').all(
      roomId,
    ) as SessionRecord[];
  }

  /**
   * Stores a message, dropping the room's oldest beyond the room's count and byte caps; returns
   * the new id. Returns undefined, storing and dropping nothing, when all rooms together would
   * then hold more than the server's byte budget: other rooms' messages are never evicted.
   */
  insertMessage(message: NewMessage, now: number, options: InsertOptions = {}): number | undefined {
    try {
      return this.transaction(() => {
        const { lastInsertRowid } = this.prepared(
          'INSERT INTO messages (room_id, msg, ts, fromuser, touser, send_key) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(
          message.roomId,
          message.msg,
          now / 1000,
          message.fromUser,
          message.toUser,
          message.sendKey ?? null,
        );
        const id = Number(lastInsertRowid);
        this.prepared(
          `DELETE FROM messages WHERE room_id = ? AND id <=
               (SELECT id FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
        ).run(message.roomId, message.roomId, this.messagesPerRoom);
        this.dropOldestBeyondRoomBytes(message.roomId, id);
        // Net of the room's own drops: a room at its cap keeps talking even when the server is full.
        if (!options.exemptFromServerBudget && this.messageBytes() > this.messageBytesPerServer)
          throw new OverServerBudget();
        return id;
      });
    } catch (error) {
      if (error instanceof OverServerBudget) return undefined;
      throw error;
    }
  }

  /** The id of the message this sender stored with this idempotency key, while it is kept. */
  messageBySendKey(roomId: number, fromUser: string, sendKey: string): number | undefined {
    const row = this.prepared(
      'SELECT id FROM messages WHERE room_id = ? AND fromuser = ? AND send_key = ?',
    ).get(roomId, fromUser, sendKey) as { id: number } | undefined;
    return row?.id;
  }

  /** Oldest first, never the message just stored. Usually drops nothing, or one or two rows. */
  private dropOldestBeyondRoomBytes(roomId: number, newestId: number): void {
    while (this.roomMessageBytes(roomId) > this.messageBytesPerRoom) {
      const dropped = this.prepared(
        `DELETE FROM messages WHERE id =
             (SELECT id FROM messages WHERE room_id = ? AND id < ? ORDER BY id LIMIT 1)`,
      ).run(roomId, newestId).changes;
      if (dropped === 0) return;
    }
  }

  /** Bytes of `msg` text held for the room (0 for a room that no longer exists). */
  roomMessageBytes(roomId: number): number {
    const row = this.prepared('SELECT msg_bytes AS n FROM rooms WHERE id = ?').get(roomId) as
      { n: number } | undefined;
    return row?.n ?? 0;
  }

  /** Bytes of `msg` text held in all rooms together. */
  messageBytes(): number {
    return (this.prepared('SELECT total AS n FROM message_bytes').get() as { n: number }).n;
  }

  newestMessageId(roomId: number): number {
    const row = this.prepared('SELECT MAX(id) AS id FROM messages WHERE room_id = ?').get(
      roomId,
    ) as {
      id: number | null;
    };
    return row.id ?? 0;
  }

  /**
   * Room-wide rows and rows addressed to `user` by someone else, newer than `after`, oldest
   * first, as many as fit in `maxBytes` of `msg` text but at least one. Read a page of
   * MESSAGE_PAGE_ROWS at a time, so a large backlog is never read whole.
   */
  messagesFor(roomId: number, user: string, after: number, maxBytes: number): PollRows {
    if (!this.prepared(ANY_VISIBLE_ROW_SQL).get(roomId, after, ROOM_WIDE, user, user))
      return NOTHING;
    const page = this.prepared(MESSAGE_PAGE_SQL);
    const chunks: Buffer[] = [OPEN];
    let count = 0;
    let bytes = 0;
    for (let from = after; ;) {
      const part = page.get(roomId, from, ROOM_WIDE, user, user, {
        budget: maxBytes - bytes,
        atLeastOne: count === 0 ? 1 : 0,
      }) as { json: Buffer | null; count: number; lastId: number | null; bytes: number | null };
      if (part.json === null || part.lastId === null) break;
      if (count > 0) chunks.push(COMMA);
      chunks.push(wellFormed(part.json));
      count += part.count;
      bytes += part.bytes ?? 0;
      // A short page ended the rows or the budget.
      if (part.count < MESSAGE_PAGE_ROWS) break;
      from = part.lastId;
    }
    chunks.push(CLOSE);
    return { json: EncodedJson.trusted(chunks), count };
  }

  /**
   * Where a joiner's history starts: the id just before the room's first message stored at or
   * after `since` (ms), or the room's newest id when none is that recent (0 for an empty room).
   */
  idBeforeWindow(roomId: number, since: number): number {
    const row = this.prepared(
      `SELECT COALESCE(
           (SELECT MIN(id) FROM messages WHERE room_id = ? AND ts >= ?) - 1,
           (SELECT MAX(id) FROM messages WHERE room_id = ?),
           0) AS id`,
    ).get(roomId, since / 1000, roomId) as { id: number };
    return row.id;
  }

  deleteMessagesBefore(before: number): number {
    return this.prepared('DELETE FROM messages WHERE ts < ?').run(before / 1000).changes;
  }

  /** When the room's oldest message (by id) was stored, in ms; undefined for none. */
  oldestMessageTime(roomId: number): number | undefined {
    const row = this.prepared('SELECT ts FROM messages WHERE room_id = ? ORDER BY id LIMIT 1').get(
      roomId,
    ) as { ts: number } | undefined;
    return row && row.ts * 1000;
  }

  deleteRoomMessagesBefore(roomId: number, before: number): number {
    return this.prepared('DELETE FROM messages WHERE room_id = ? AND ts < ?').run(
      roomId,
      before / 1000,
    ).changes;
  }

  messageCount(): number {
    return (this.prepared('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  }

  addNotice(roomName: string, user: string, keyHash: Buffer, text: string, now: number): void {
    this.prepared(
      'INSERT INTO notices (room_name, user, key_hash, text, created) VALUES (?, ?, ?, ?, ?)',
    ).run(roomName, user, keyHash, text, now);
  }

  notices(roomName: string, user: string, since: number): NoticeRecord[] {
    return this.prepared(
      'SELECT id, key_hash AS keyHash, text FROM notices WHERE room_name = ? AND user = ? AND created >= ?',
    ).all(roomName, user, since) as NoticeRecord[];
  }

  deleteNotice(id: number): void {
    this.prepared('DELETE FROM notices WHERE id = ?').run(id);
  }

  deleteNoticesBefore(before: number): number {
    return this.prepared('DELETE FROM notices WHERE created < ?').run(before).changes;
  }
}
