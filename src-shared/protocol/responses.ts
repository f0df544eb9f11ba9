import { z } from 'zod';
import type { ActionName } from './actions';
import { burnReport } from './burn';
import { clientKind, memberKey } from './member-keys';
import { roomClock, serverClock } from './room-clock';
import { handoverBox } from './key-handover';

/**
 * A message id, or `last`. Real servers count rows from 1; the bound keeps a hostile server's ids
 * where the client's own lines, numbered in millionths between them, still sort exactly.
 */
const messageId = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** `[id, msg, ts, fromuser, touser]`; touser is "0" for a room-wide message. */
export const messageRow = z.tuple([messageId, z.string(), z.number(), z.string(), z.string()]);
export type MessageRow = z.infer<typeof messageRow>;

export const ROOM_WIDE = '0';

const ok = z.object({ status: z.literal('ok') });
/**
 * memberkeys: how many member keys were published in the room so far, in answers to a poll that
 * asked (`keys: true`): a change tells the client to fetch the members' keys again.
 */
const publications = z.number().int().nonnegative().optional();
const sent = z.object({ status: z.literal('ok'), msgid: messageId, last: messageId });

/** Extensions this server may announce in `serverInfo`. */
/**
 * `joinwindow`: a joiner polling from 0 gets what it may read of the 10 s before it asked to join
 * (LIMITS.joinHistorySeconds), and nothing older.
 */
export const EXTENSIONS = [
  'longpoll',
  'members',
  'setpassword',
  'sendkey',
  'joinwindow',
  'inviteused',
  'joinnewpass',
  'roomclock',
  'memberkeys',
  'admission',
  'burn',
  'capture',
  'keyhandover',
] as const;
export type Extension = (typeof EXTENSIONS)[number];

export const actionResponses = {
  createRoom: z.object({ status: z.literal('ok'), roomid: z.number().int(), name: z.string() }),
  joinRoom: z.union([
    z.object({
      status: z.literal('ok'),
      last: messageId,
      session: z.string(),
      syskey: z.string(),
      /**
       * Only when the join sent `newpass` (extension joinnewpass): "set" when it replaced the
       * inviter's password, "unchanged" when the password was already the member's own.
       */
      newpass: z.enum(['set', 'unchanged']).optional(),
      /** admission: present while the newcomer waits for the owner to admit them. */
      waiting: z.literal(true).optional(),
    }),
    z.object({ status: z.literal('NOK') }),
    /** Extension `inviteused` (asked for with `explain`): the invite was used by a LocalChat client. */
    z.object({ status: z.literal('used') }),
  ]),
  leaveRoom: ok,
  closeRoom: ok,
  pollMsg: z.union([
    z.object({
      status: z.literal('unchanged'),
      last: messageId,
      keys: publications,
      /** admission: still in the lobby (to a poll that asked with `keys: true`). */
      waiting: z.literal(true).optional(),
      /** Extension (burn): the room is being burned; wipe it and confirm with confirmWipe. */
      burning: z.literal(true).optional(),
    }),
    z.object({ status: z.literal('updated'), messages: z.array(messageRow), keys: publications }),
    z.object({ status: z.literal('errmessage'), text: z.string() }),
  ]),
  sendMsg: sent,
  sendDirectMsg: sent,
  inviteUser: ok,
  kickUser: ok,
  banUser: ok,
  serverInfo: z.object({
    status: z.literal('ok'),
    server: z.string(),
    version: z.string(),
    extensions: z.array(z.string()),
    /**
     * Random per server process (absent from older servers): a different value than before
     * means the server restarted and every room it held is gone.
     */
    instance: z.string().optional(),
    /** SHA-256 of the server's certificate, 'AB:CD:…' (LocalChat Desktop servers only). */
    certificate: z.string().optional(),
    /** Extension `roomclock`: the server's lifetimes. */
    clock: serverClock.optional(),
    /** Extension `roomclock`: the caller's room, when asked with its session. */
    room: roomClock.optional(),
  }),
  listMembers: z.object({
    status: z.literal('ok'),
    members: z.array(
      z.object({
        user: z.string(),
        owner: z.boolean(),
        /** memberkeys: the key the member's current session published, if any. */
        key: memberKey.optional(),
        client: clientKind.optional(),
        /** admission: joined, but not admitted yet. */
        waiting: z.literal(true).optional(),
      }),
    ),
    /** admission: present when the owner admits each newcomer. */
    admission: z.literal(true).optional(),
  }),
  setPassword: ok,
  setRoomLifetime: z.object({ status: z.literal('ok'), messageLifetime: z.number() }),
  publishKey: ok,
  admitMember: ok,
  setAdmission: ok,
  burnRoom: burnReport,
  confirmWipe: ok,
  announceCapture: ok,
  handKey: ok,
  takeKeys: z.object({
    status: z.literal('ok'),
    keys: z.array(z.object({ from: z.string(), box: handoverBox })),
  }),
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionResponse<A extends ActionName> = z.infer<(typeof actionResponses)[A]>;

/** Plaintext of a user's message before encryption. */
export const chatPlaintext = z.object({
  user: z.string().optional(),
  text: z.string(),
  verb: z.string(),
});

export const SYSTEM_VERBS = ['sysinfo', 'syswarn', 'sysalert'] as const;
export type SystemVerb = (typeof SYSTEM_VERBS)[number];
