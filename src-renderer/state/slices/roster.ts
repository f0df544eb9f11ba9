import {
  encodeMemberKey,
  memberKeyWords,
  type ClientKind,
} from '../../../src-shared/crypto/memberKey';
import { safetyCode } from '../../../src-shared/crypto/safetyCode';
import type { ActionResponse } from '../../../src-shared/protocol';
import { codeChangeReason, keyBasis, keyChanges, type KeyBasis } from '../../client/roster';
import type { SliceContext } from './context';
import { addLocal } from './timeline';

type Listed = ActionResponse<'listMembers'>['members'][number];

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
  acknowledgeKey(user: string): void;
}

export const initialRoster = () => ({
  memberKeys: {} as Record<string, KeyView>,
  changedKeys: [] as string[],
  keyHistory: {} as Record<string, string>,
  safetyCode: undefined,
  safetyCodeBasis: undefined,
});

export function rosterSlice(ctx: SliceContext): RosterSlice {
  return {
    ...initialRoster(),
    acknowledgeKey: (user) =>
      ctx.set({ changedKeys: ctx.get().changedKeys.filter((u) => u !== user) }),
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

/** A poll's count of key publications: a change means someone's key is new, so list again. */
export function keyPublicationsSeen(
  ctx: SliceContext,
  answer: ActionResponse<'pollMsg'>,
  refresh: () => void,
): void {
  if (answer.status === 'errmessage' || answer.keys === undefined) return;
  if (answer.keys === ctx.live.keyPublications) return;
  ctx.live.keyPublications = answer.keys;
  refresh();
}

/** Takes the members' keys from a listMembers answer: fingerprints, rejoins, the safety code. */
export async function applyRoster(
  ctx: SliceContext,
  members: readonly Listed[],
  mine: number,
): Promise<void> {
  const session = ctx.get().session;
  if (!session || !session.extensions.includes('memberkeys')) return;
  const seq = ++ctx.live.rosterSeq;
  const keyed = members.filter((m): m is Listed & { key: string } => m.key !== undefined);
  const words = await Promise.all(keyed.map((m) => memberKeyWords(m.key)));
  const code = await safetyCode({
    roomPassphrase: session.roomPass,
    roomName: session.room,
    certificate: session.server.fingerprint ?? session.certificate ?? '',
    members,
  });
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
  });
  if (!before || before.join(' ') === code.join(' ')) return;
  const reason = codeChangeReason(state.safetyCodeBasis ?? {}, basis);
  if (reason) addLocal(ctx, `The safety code changed: ${reason}. Compare it again.`);
}
