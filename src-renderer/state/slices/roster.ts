import {
  encodeMemberKey,
  memberKeyWords,
  type ClientKind,
} from '../../../src-shared/crypto/memberKey';
import { admissionWords } from '../../../src-shared/crypto/admissionWords';
import { safetyCode } from '../../../src-shared/crypto/safetyCode';
import type { ActionResponse } from '../../../src-shared/protocol';
import { codeChangeReason, keyBasis, keyChanges, type KeyBasis } from '../../client/roster';
import type { SliceContext } from './context';
import type { Session } from './session';
import { addLocal, reportRoomError } from './timeline';

type Listing = ActionResponse<'listMembers'>;
type Listed = Listing['members'][number];

export interface KeyView {
  key: string;
  client: ClientKind;
  /** The key's fingerprint in two PGP words, the same on every member's screen. */
  words: string;
}

export interface RosterSlice {
  /** The published member keys of the people in the room, by name. */
  memberKeys: Record<string, KeyView>;
  /** Names that came back with another key than before, until this member acknowledges it. */
  changedKeys: string[];
  /** Every key this client has seen under each name this session. */
  keyHistory: Record<string, string>;
  /** The room safety code: equal on every member's screen when all is well. */
  safetyCode?: string[];
  /** Who held which key when the code was computed. */
  safetyCodeBasis?: KeyBasis;
  /** Names in the lobby, waiting for the owner to let them in (admission). */
  waiting: string[];
  /** The words to compare with each waiting newcomer who published a key. */
  waitingWords: Record<string, string>;
  /** The owner admits each newcomer (as the server last listed it). */
  admission: boolean;
  /** While this member waits: the words to compare with the owner. */
  lobbyWords?: string[];
  acknowledgeKey(user: string): void;
  /** Owner: lets a waiting newcomer in, or turns them away. */
  decideAdmission(user: string, admit: boolean): Promise<void>;
  /** Owner: asks before each join, or not. */
  setAdmission(on: boolean): Promise<void>;
}

export const initialRoster = () => ({
  memberKeys: {} as Record<string, KeyView>,
  changedKeys: [] as string[],
  keyHistory: {} as Record<string, string>,
  safetyCode: undefined,
  safetyCodeBasis: undefined,
  waiting: [] as string[],
  waitingWords: {} as Record<string, string>,
  admission: false,
  lobbyWords: undefined,
});

/** The certificate a member's words are made with: the invite's, else what serverInfo said. */
const certificateOf = (session: Session) => session.server.fingerprint ?? session.certificate ?? '';

async function ownerCall(
  ctx: SliceContext,
  what: string,
  call: (session: Session) => Promise<unknown>,
): Promise<boolean> {
  const session = ctx.get().session;
  if (!session || !ctx.live.api) return false;
  try {
    await call(session);
    return true;
  } catch (error) {
    reportRoomError(ctx, error, what);
    return false;
  }
}

export function rosterSlice(ctx: SliceContext): RosterSlice {
  return {
    ...initialRoster(),
    acknowledgeKey: (user) =>
      ctx.set({ changedKeys: ctx.get().changedKeys.filter((u) => u !== user) }),
    decideAdmission: async (user, admit) => {
      await ownerCall(ctx, admit ? `Could not admit ${user}` : `Could not turn ${user} away`, (s) =>
        ctx.live.api!.call('admitMember', {
          roomName: s.room,
          user: s.user,
          sesskey: s.sesskey,
          member: user,
          admit,
        }),
      );
    },
    setAdmission: async (on) => {
      const done = await ownerCall(ctx, 'Could not change who may join', (s) =>
        ctx.live.api!.call('setAdmission', {
          roomName: s.room,
          user: s.user,
          sesskey: s.sesskey,
          on,
        }),
      );
      if (done) ctx.set({ admission: on });
    },
  };
}

/**
 * Makes this join's member key (X25519 through WebCrypto; the private half cannot be exported
 * and lives only in this page's memory) and publishes it, when the server speaks memberkeys.
 */
export async function publishMemberKey(ctx: SliceContext, mine: number): Promise<void> {
  const { live } = ctx;
  const session = ctx.get().session;
  const api = live.api;
  if (!session || !api || !session.extensions.includes('memberkeys')) return;
  const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const publicKey = encodeMemberKey(
    new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)),
  );
  if (mine !== live.generation) return;
  live.memberKey = { publicKey, privateKey: pair.privateKey };
  if (session.waiting) {
    const words = await admissionWords({
      // Without the room key (handed over after admission), the invite's one-time password.
      roomPassphrase: session.invitePass ?? session.roomPass,
      certificate: certificateOf(session),
      newcomerKey: publicKey,
    });
    if (mine === live.generation) ctx.set({ lobbyWords: words });
  }
  const client: ClientKind = ctx.deps.host.kind === 'electron' ? 'app' : 'browser';
  try {
    await api.call('publishKey', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
      key: publicKey,
      client,
    });
  } catch {
    // The room works without it: others see this member as keyless, like a terminal client.
  }
}

/**
 * What a LocalChat poll carries besides rows: the count of key publications (a change means
 * someone's key is new, so list again) and, while in the lobby, that this member still waits.
 */
export function pollExtrasSeen(
  ctx: SliceContext,
  answer: ActionResponse<'pollMsg'>,
  refresh: () => void,
): void {
  if (answer.status === 'errmessage' || answer.keys === undefined) return;
  const session = ctx.get().session;
  const admitted = session?.waiting && !('waiting' in answer && answer.waiting);
  if (session && admitted)
    ctx.set({ session: { ...session, waiting: false }, lobbyWords: undefined });
  if (answer.keys === ctx.live.keyPublications && !admitted) return;
  ctx.live.keyPublications = answer.keys;
  refresh();
}

/**
 * A newcomer this client invited without the room key has only the invite's one-time password to
 * make admission words with: the prompt uses it too. Undefined for anyone else.
 */
function lobbySecret(ctx: SliceContext, user: string): string | undefined {
  const own = ctx.live.memberKey?.publicKey;
  const view = ctx.get().invites.find((v) => v.invite.user === user);
  return own && view?.invite.fromKey === own ? view.invite.userPass : undefined;
}

/** Takes the members' keys from a listMembers answer: fingerprints, rejoins, the safety code. */
export async function applyRoster(
  ctx: SliceContext,
  listing: Listing,
  mine: number,
): Promise<void> {
  const session = ctx.get().session;
  if (!session || !session.extensions.includes('memberkeys') || session.awaitingKey) return;
  const seq = ++ctx.live.rosterSeq;
  // Who waits in the lobby is not in the room yet: not in the code, listed apart.
  const members = listing.members.filter((m) => !m.waiting);
  const waiting = listing.members.filter((m) => m.waiting);
  const keyed = members.filter((m): m is Listed & { key: string } => m.key !== undefined);
  const words = await Promise.all(keyed.map((m) => memberKeyWords(m.key)));
  const certificate = certificateOf(session);
  const code = await safetyCode({
    roomPassphrase: session.roomPass,
    roomName: session.room,
    certificate,
    members,
  });
  const waitingWords = Object.fromEntries(
    await Promise.all(
      waiting
        .filter((m): m is Listed & { key: string } => m.key !== undefined)
        .map(async (m) => [
          m.user,
          (
            await admissionWords({
              roomPassphrase: lobbySecret(ctx, m.user) ?? session.roomPass,
              certificate,
              newcomerKey: m.key,
            })
          ).join(' '),
        ]),
    ),
  ) as Record<string, string>;
  // A later answer may have overtaken this one, or the session ended meanwhile.
  if (mine !== ctx.live.generation || seq !== ctx.live.rosterSeq) return;
  const state = ctx.get();
  const { history, changed } = keyChanges(state.keyHistory, members);
  const basis = keyBasis(members);
  const before = state.safetyCode;
  ctx.set({
    memberKeys: Object.fromEntries(
      keyed.map((m, i) => [
        m.user,
        { key: m.key, client: m.client ?? 'browser', words: words[i]! },
      ]),
    ),
    keyHistory: history,
    changedKeys: [...new Set([...state.changedKeys, ...changed])].filter((u) =>
      members.some((m) => m.user === u),
    ),
    safetyCode: code,
    safetyCodeBasis: basis,
    waiting: waiting.map((m) => m.user),
    waitingWords,
    admission: listing.admission === true,
  });
  if (!before || before.join(' ') === code.join(' ')) return;
  const reason = codeChangeReason(state.safetyCodeBasis ?? {}, basis);
  if (reason) addLocal(ctx, `The safety code changed: ${reason}. Compare it again.`);
}
