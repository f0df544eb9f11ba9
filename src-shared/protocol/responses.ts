import { z } from 'zod';
import type { ActionName } from './actions';
import { burnReport } from './burn';

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
const sent = z.object({ status: z.literal('ok'), msgid: messageId, last: messageId });

/** Extensions this server may announce in `serverInfo`. */
export const EXTENSIONS = ['longpoll', 'members', 'setpassword', 'burn', 'capture'] as const;
export type Extension = (typeof EXTENSIONS)[number];

export const actionResponses = {
  createRoom: z.object({ status: z.literal('ok'), roomid: z.number().int(), name: z.string() }),
  joinRoom: z.union([
    z.object({
      status: z.literal('ok'),
      last: messageId,
      session: z.string(),
      syskey: z.string(),
    }),
    z.object({ status: z.literal('NOK') }),
  ]),
  leaveRoom: ok,
  closeRoom: ok,
  pollMsg: z.union([
    z.object({
      status: z.literal('unchanged'),
      last: messageId,
      /** Extension (burn): the room is being burned; wipe it and confirm with confirmWipe. */
      burning: z.literal(true).optional(),
    }),
    z.object({ status: z.literal('updated'), messages: z.array(messageRow) }),
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
  }),
  listMembers: z.object({
    status: z.literal('ok'),
    members: z.array(z.object({ user: z.string(), owner: z.boolean() })),
  }),
  setPassword: ok,
  burnRoom: burnReport,
  confirmWipe: ok,
  announceCapture: ok,
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionResponse<A extends ActionName> = z.infer<(typeof actionResponses)[A]>;

/** Plaintext of a user's message before encryption. */
export const chatPlaintext = z.object({
  user: z.string().optional(),
  text: z.string(),
  verb: z.string(),
});
export type ChatPlaintext = z.infer<typeof chatPlaintext>;

export const SYSTEM_VERBS = ['sysinfo', 'syswarn', 'sysalert'] as const;
export type SystemVerb = (typeof SYSTEM_VERBS)[number];
