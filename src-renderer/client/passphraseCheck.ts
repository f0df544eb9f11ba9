import { SYSTEM_USER, type MessageRow } from '../../src-shared/protocol';
import type { ChatLine } from './lines';

/**
 * What this session's decryptions say about the room passphrase. SYSTEM's messages use the
 * syskey the server handed out, the others' the room passphrase the user typed or pasted: when
 * SYSTEM's open and no other member's does, the passphrase is the likely culprit.
 */
export interface PassphraseEvidence {
  systemOk: number;
  othersOk: number;
  /** Members (never SYSTEM, never us) whose messages did not open. */
  failedFrom: readonly string[];
}

export const noEvidence = (): PassphraseEvidence => ({ systemOk: 0, othersOk: 0, failedFrom: [] });

/**
 * Members whose failures it takes: any one member can send garbage on purpose (right after
 * someone joins, to make them doubt a good passphrase and then "help" with one of their own),
 * so one sender's failures alone never make the passphrase look wrong.
 */
export const FAILING_MEMBERS_NEEDED = 2;

/**
 * True once messages from at least two different members failed while SYSTEM's opened, and no
 * other member's message ever opened: one that opens means the passphrase is right and a later
 * failure is that message's fault. Timeouts never count (the decrypt scheduler retries them).
 */
export function passphraseLooksWrong(e: PassphraseEvidence): boolean {
  return e.systemOk > 0 && e.failedFrom.length >= FAILING_MEMBERS_NEEDED && e.othersOk === 0;
}

/** Counts decrypted lines. Our own messages prove nothing: they use the same passphrase. */
export function addEvidence(
  evidence: PassphraseEvidence,
  lines: readonly ChatLine[],
  me: string,
): PassphraseEvidence {
  const next = { ...evidence, failedFrom: [...evidence.failedFrom] };
  for (const line of lines) {
    if (line.kind === 'system') next.systemOk++;
    else if (line.kind === 'undecryptable') {
      if (line.from !== SYSTEM_USER && line.from !== me && !next.failedFrom.includes(line.from))
        next.failedFrom.push(line.from);
    } else if (line.from !== me) next.othersOk++;
  }
  return next;
}

/** Ciphertexts kept to open again with a corrected passphrase: the newest, within both bounds. */
export const KEPT_CIPHERTEXTS = { rows: 500, chars: 2 * 1024 * 1024 } as const;

/**
 * Adds the rows of others' undecryptable lines to `kept` (in place), dropping the oldest beyond
 * the bounds, so a flood of garbage cannot grow the page's memory.
 */
export function keepUndecryptable(
  kept: MessageRow[],
  rows: readonly MessageRow[],
  lines: readonly ChatLine[],
  me: string,
): void {
  const failed = new Set(
    lines
      .filter((l) => l.kind === 'undecryptable' && l.from !== SYSTEM_USER && l.from !== me)
      .map((l) => l.id),
  );
  for (const row of rows) if (failed.has(row[0])) kept.push(row);
  let chars = kept.reduce((sum, row) => sum + row[1].length, 0);
  while (
    kept.length > KEPT_CIPHERTEXTS.rows ||
    (kept.length > 0 && chars > KEPT_CIPHERTEXTS.chars)
  ) {
    chars -= kept.shift()![1].length;
  }
}
