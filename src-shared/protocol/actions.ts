import { z } from 'zod';
import {
  ciphertext,
  messageId,
  ownPassword,
  password,
  recipientName,
  roomName,
  sendKey,
  sessionKey,
  userName,
} from './fields';
import { LIMITS } from './limits';
import { handoverBox } from './key-handover';
import { clientKind, memberKey } from './member-keys';
import { messageLifetime } from './room-clock';

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
    /** Extension `roomclock`: the room's message lifetime in seconds (the server's when absent). */
    messageLifetime: messageLifetime.optional(),
    /** Extension (admission): the owner admits each newcomer. Absent: everyone at once. */
    admission: z.boolean().optional(),
  }),
  /**
   * Extension `inviteused`: with `explain: true`, a password that is the invite's, replaced since
   * by setPassword, answers `{"status":"used"}` rather than a bare 403.
   */
  joinRoom: z.object({
    roomName,
    user: userName,
    userpass: password,
    /**
     * Extension `joinnewpass`: on an account whose password is still the inviter's, the join
     * replaces it with this one in the same step, so nobody else ever signs in after the member.
     */
    newpass: ownPassword.optional(),
    explain: z.literal(true).optional(),
  }),
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
  /** Extension `sendkey`: a retried send with the same key is stored once. */
  sendMsg: z.object({ ...session, msg: ciphertext, sendkey: sendKey.optional() }),
  sendDirectMsg: z.object({
    ...session,
    msg: ciphertext,
    to: recipientName,
    sendkey: sendKey.optional(),
  }),
  inviteUser: z.object({ ...session, invite: userName, pass: password }),
  kickUser: z.object({ ...session, kick: userName }),
  banUser: z.object({ ...session, kick: userName }),
  /**
   * Extension: which extensions this server speaks. Old servers answer 400. With a session
   * (extension `roomclock`), it also tells that room's clock; a session that is not current is 403.
   */
  serverInfo: z
    .object({
      roomName: roomName.optional(),
      user: userName.optional(),
      sesskey: sessionKey.optional(),
    })
    .refine(
      (p) =>
        [p.roomName, p.user, p.sesskey].every((f) => f === undefined) ||
        [p.roomName, p.user, p.sesskey].every((f) => f !== undefined),
      'a session needs roomName, user and sesskey together',
    ),
  /** Extension: who is in the room now. */
  listMembers: z.object(session),
  /**
   * Extension: replaces the password the inviter chose with one of the member's own, once per
   * account, so the inviter cannot sign in under the member's name later.
   */
  setPassword: z.object({ ...session, newpass: ownPassword }),
  /** Extension `roomclock`: the owner sets the room's message lifetime, in seconds. */
  setRoomLifetime: z.object({ ...session, messageLifetime }),
  /**
   * Extension (memberkeys): binds the caller's member key, and the kind of client that holds it,
   * to the caller's session: once per session, so a key changes only with a new join.
   */
  publishKey: z.object({ ...session, key: memberKey, client: clientKind }),
  /** Extension (admission): the owner lets a waiting newcomer in, or turns them away. */
  admitMember: z.object({ ...session, member: userName, admit: z.boolean() }),
  /** Extension (admission): the owner turns asking before each join on or off. */
  setAdmission: z.object({ ...session, on: z.boolean() }),
  /** Extension (burn): the owner ends the room after every LocalChat member wiped it. */
  burnRoom: z.object(session),
  /** Extension (burn): a member's client says it wiped the room being burned. */
  confirmWipe: z.object(session),
  /**
   * Extension (capture): the member's desktop window is (no longer) kept out of screen captures;
   * the server tells the room's other LocalChat members.
   */
  announceCapture: z.object({ ...session, protected: z.boolean() }),
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
