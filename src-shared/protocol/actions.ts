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
import { handoverBox } from './key-handover';
import { clientKind, memberKey } from './member-keys';

const session = { roomName, user: userName, sesskey: sessionKey };

/**
 * Every action's payload, as the stock client sends it. Unknown keys are stripped rather than
 * refused, so newer clients can add fields older servers ignore.
 */
export const actionPayloads = {
  createRoom: z.object({
    roomName,
    owner: userName,
    pass: password,
    /** Extension (admission): the owner admits each newcomer. Absent: everyone at once. */
    admission: z.boolean().optional(),
  }),
  joinRoom: z.object({ roomName, user: userName, userpass: password }),
  leaveRoom: z.object(session),
  closeRoom: z.object(session),
  pollMsg: z.object({
    ...session,
    mylast: messageId,
    /** Extension: hold the request up to this many seconds until a message arrives. */
    wait: z.number().min(0).max(LIMITS.maxPollWaitSeconds).optional(),
    /** Extension (memberkeys): answer with the room's count of key publications too. */
    keys: z.literal(true).optional(),
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
  /**
   * Extension (memberkeys): binds the caller's member key, and the kind of client that holds it,
   * to the caller's session: once per session, so a key changes only with a new join.
   */
  publishKey: z.object({ ...session, key: memberKey, client: clientKind }),
  /** Extension (admission): the owner lets a waiting newcomer in, or turns them away. */
  admitMember: z.object({ ...session, member: userName, admit: z.boolean() }),
  /** Extension (admission): the owner turns asking before each join on or off. */
  setAdmission: z.object({ ...session, on: z.boolean() }),
  /**
   * Extension (keyhandover): hands one member a sealed room key (src-shared/crypto/keyHandover.ts);
   * only that member can fetch it, with takeKeys.
   */
  handKey: z.object({ ...session, to: userName, box: handoverBox }),
  /** Extension (keyhandover): the room keys handed to the caller's current session, once. */
  takeKeys: z.object(session),
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
