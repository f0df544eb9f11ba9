import { CRYPTO_LIMITS, decryptBudgetMs } from '../../../src-shared/crypto/limits';
import { s2kWorkOf } from '../../../src-shared/crypto/message';
import type { MessageRow } from '../../../src-shared/protocol';
import { decodeLine, type ChatLine } from '../../client/lines';
import {
  addEvidence,
  keepUndecryptable,
  noEvidence,
  passphraseLooksWrong,
} from '../../client/passphraseCheck';
import type { SliceContext } from './context';
import type { RoomLine } from './timeline';

export type PassphraseRetry = 'opened' | 'still-wrong' | 'nothing-to-check';

export interface PassphraseSlice {
  /** Others' messages fail to decrypt while SYSTEM's open: the room passphrase looks wrong. */
  passphraseWrong: boolean;
  /** The user put the prompt aside ("Not now"); a one-line reminder stays. */
  passphraseWarningDismissed: boolean;
  /**
   * Tries `roomPass` on the kept messages; when one opens, it becomes the session's passphrase
   * and every kept message that opens replaces its "could not decrypt" line. Local only.
   */
  retryPassphrase(roomPass: string): Promise<PassphraseRetry>;
  dismissPassphraseWarning(): void;
  reopenPassphraseWarning(): void;
}

export const initialPassphrase = () => ({
  passphraseWrong: false,
  passphraseWarningDismissed: false,
});

/** Counts a decrypted batch and keeps others' undecryptable ciphertexts (called by the timeline). */
export function notePassphraseEvidence(
  ctx: SliceContext,
  rows: readonly MessageRow[],
  lines: readonly ChatLine[],
) {
  const session = ctx.get().session;
  if (!session) return;
  const { live } = ctx;
  live.passphraseEvidence = addEvidence(live.passphraseEvidence, lines, session.user);
  keepUndecryptable(live.undecrypted, rows, lines, session.user);
  const wrong = passphraseLooksWrong(live.passphraseEvidence);
  if (wrong !== ctx.get().passphraseWrong) ctx.set({ passphraseWrong: wrong });
}

/** Forgets the evidence and kept ciphertexts (on every reset). */
export function resetPassphraseEvidence(ctx: SliceContext) {
  ctx.live.passphraseEvidence = noEvidence();
  ctx.live.undecrypted = [];
}

/**
 * Senders whose newest kept message a new passphrase is first tried on: several, and one message
 * each, so one member's garbage cannot make the right passphrase look wrong too.
 */
const PROBE_COUNT = 3;

/** The newest kept message of each of the last PROBE_COUNT senders, and the rest. */
function probesOf(kept: readonly MessageRow[]): { probes: MessageRow[]; rest: MessageRow[] } {
  const probes: MessageRow[] = [];
  const senders = new Set<string>();
  for (let i = kept.length - 1; i >= 0 && senders.size < PROBE_COUNT; i--) {
    const row = kept[i]!;
    if (senders.has(row[3])) continue;
    senders.add(row[3]);
    probes.push(row);
  }
  return { probes, rest: kept.filter((row) => !probes.includes(row)) };
}

/** Opens what `roomPass` opens; a message over its time budget is tried again, never judged. */
async function openRows(
  ctx: SliceContext,
  rows: readonly MessageRow[],
  roomPass: string,
): Promise<Map<number, ChatLine>> {
  const opened = new Map<number, ChatLine>();
  let pending = rows;
  for (let attempt = 0; pending.length > 0 && attempt < CRYPTO_LIMITS.decryptAttempts; attempt++) {
    const results = await ctx.deps.cipher
      .decrypt(
        pending.map(([id, data]) => ({
          id,
          data,
          passphrase: roomPass,
          budgetMs: decryptBudgetMs(s2kWorkOf(data), attempt),
        })),
      )
      .catch(() => []);
    const byId = new Map(results.map((r) => [r.id, r]));
    for (const row of pending) {
      const line = decodeLine(row, byId.get(row[0]));
      if (line.kind !== 'undecryptable') opened.set(row[0], line);
    }
    pending = pending.filter((row) => {
      const result = byId.get(row[0]);
      return result !== undefined && !result.ok && result.retry === true;
    });
  }
  return opened;
}

async function retryPassphrase(ctx: SliceContext, roomPass: string): Promise<PassphraseRetry> {
  const { live, get, set } = ctx;
  const session = get().session;
  const kept = [...live.undecrypted];
  if (!session || kept.length === 0) return 'nothing-to-check';
  const mine = live.generation;
  // Each message has its own S2K salt, so every try costs a key derivation: a wrong guess is
  // refused after a few, and only a passphrase that opens one of them pays for the rest.
  const { probes, rest: others } = probesOf(kept);
  const opened = await openRows(ctx, probes, roomPass);
  if (mine !== live.generation) return 'nothing-to-check';
  if (opened.size > 0) {
    const rest = await openRows(ctx, others, roomPass);
    if (mine !== live.generation) return 'nothing-to-check';
    for (const [id, line] of rest) opened.set(id, line);
  }
  if (opened.size === 0) return 'still-wrong';
  live.undecrypted = live.undecrypted.filter((row) => !opened.has(row[0]));
  live.passphraseEvidence = {
    ...live.passphraseEvidence,
    othersOk: live.passphraseEvidence.othersOk + opened.size,
  };
  const state = get();
  const lines: RoomLine[] = state.lines.map((line) =>
    line.kind === 'undecryptable' ? (opened.get(line.id) ?? line) : line,
  );
  set({
    session: { ...state.session!, roomPass },
    lines,
    passphraseWrong: false,
    passphraseWarningDismissed: false,
  });
  return 'opened';
}

export function passphraseSlice(ctx: SliceContext): PassphraseSlice {
  return {
    ...initialPassphrase(),
    retryPassphrase: (roomPass) => retryPassphrase(ctx, roomPass),
    dismissPassphraseWarning() {
      ctx.set({ passphraseWarningDismissed: true });
    },
    reopenPassphraseWarning() {
      ctx.set({ passphraseWarningDismissed: false });
    },
  };
}
