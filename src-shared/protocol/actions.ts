import { z } from 'zod';
import {
  ciphertext,
  messageId,
  ownPassword,
  password,
  recipientName,
  roomName,
  sessionKey,
  userName,
} from './fields';
import { LIMITS } from './limits';

const session = { roomName, user: userName, sesskey: sessionKey };

/**
 * Every action's payload, as the stock client sends it. Unknown keys are stripped rather than
 * refused, so newer clients can add fields older servers ignore.
 */
export const actionPayloads = {
  createRoom: z.object({ roomName, owner: userName, pass: password }),
  joinRoom: z.object({ roomName, user: userName, userpass: password }),
  leaveRoom: z.object(session),
  closeRoom: z.object(session),
  pollMsg: z.object({
    ...session,
    mylast: messageId,
    /** Extension: hold the request up to this many seconds until a message arrives. */
    wait: z.number().min(0).max(LIMITS.maxPollWaitSeconds).optional(),
  }),
  sendMsg: z.object({ ...session, msg: ciphertext }),
  sendDirectMsg: z.object({ ...session, msg: ciphertext, to: recipientName }),
  inviteUser: z.object({ ...session, invite: userName, pass: password }),
  kickUser: z.object({ ...session, kick: userName }),
  banUser: z.object({ ...session, kick: userName }),
  /** Extension: which extensions this server speaks. Old servers answer 400. */
  serverInfo: z.object({}),
  /** Extension: who is in the room now. */
  listMembers: z.object(session),
  /**
   * Extension: replaces the password the inviter chose with one of the member's own, once per
   * account, so the inviter cannot sign in under the member's name later.
   */
  setPassword: z.object({ ...session, newpass: ownPassword }),
  /** Extension (burn): the owner ends the room after every LocalChat member wiped it. */
  burnRoom: z.object(session),
  /** Extension (burn): a member's client says it wiped the room being burned. */
  confirmWipe: z.object(session),
  /**
   * Extension (capture): the member's desktop window is (no longer) kept out of screen captures;
   * the server tells the room's other LocalChat members.
   */
  announceCapture: z.object({ ...session, protected: z.boolean() }),
} as const;

export type ActionName = keyof typeof actionPayloads;
export const ACTION_NAMES = Object.keys(actionPayloads) as ActionName[];

/** What a caller passes (before coercion, e.g. `mylast` as a string). */
export type ActionInput<A extends ActionName> = z.input<(typeof actionPayloads)[A]>;
/** What the server works with after validation. */
export type ActionPayload<A extends ActionName> = z.output<(typeof actionPayloads)[A]>;

export function isActionName(name: unknown): name is ActionName {
  return typeof name === 'string' && Object.hasOwn(actionPayloads, name);
}
