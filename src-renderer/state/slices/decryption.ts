import { s2kWorkOf } from '../../../src-shared/crypto/message';
import { ROOM_WIDE, SYSTEM_USER, type MessageRow } from '../../../src-shared/protocol';
import type { DecryptResult } from '../../client/cipher';
import {
  createDecryptScheduler,
  type DecryptScheduler,
  type SenderJob,
} from '../../client/decryptScheduler';
import { decodeLine, mergeLines, type ChatLine } from '../../client/lines';
import { notificationFor } from '../../client/notificationText';
import { realClock } from '../../client/poller';
import { withPrivateDms, type PrivateDmSource } from '../../client/privateCipher';
import type { SliceContext, StoreDeps } from './context';
import { membersAfter, refreshMembers } from './members';
import { notePassphraseEvidence } from './passphrase';
import { bounded, type RoomLine } from './timeline';

/** Measure name recorded around each delivery of polled messages (read by the e2e test). */
export const BACKLOG_MEASURE = 'localchat:decrypt-messages';

/** The rows of one poll answer: measured from arrival until the last of them is decided. */
interface Poll {
  mark: string;
  remaining: number;
}

export interface RowJob extends SenderJob {
  row: MessageRow;
  poll: Poll;
  generation: number;
}

export type RoomDecryption = DecryptScheduler<RowJob>;

/** Results and held messages waiting for the next flush (one state update per task). */
interface Pending {
  results: { job: RowJob; result: DecryptResult }[];
  held: RowJob[];
  scheduled: boolean;
  /** Jobs shown as held (by generation and id): no longer counted as decrypting. */
  heldKeys: Set<string>;
}

const keyOf = (job: RowJob) => `${job.generation}:${job.id}`;

/**
 * The room's decryption: polled rows go to the fair scheduler, and each message is shown as soon
 * as it is decided, whatever is still running for others. `ctxOf` gives the store's context (the
 * scheduler is made before it).
 */
export function createRoomDecryption(deps: StoreDeps, ctxOf: () => SliceContext): RoomDecryption {
  const pending: Pending = { results: [], held: [], scheduled: false, heldKeys: new Set() };
  const flushSoon = () => {
    if (pending.scheduled) return;
    pending.scheduled = true;
    queueMicrotask(() => flush(ctxOf(), pending));
  };
  return createDecryptScheduler<RowJob>({
    cipher: withPrivateDms(deps.cipher, privateDmSource(ctxOf)),
    concurrency: deps.cipher.concurrency ?? 2,
    clock: deps.clock ?? realClock,
    workOf: s2kWorkOf,
    onResult(job, result) {
      pending.results.push({ job, result });
      flushSoon();
    },
    onHeld(job) {
      pending.heldKeys.add(keyOf(job));
      pending.held.push(job);
      flushSoon();
    },
  });
}

/**
 * Our member key and the keys the room lists. A sender whose key is not listed yet may have just
 * published it (its DM can come in the same poll): the list is fetched again, once per change in
 * the room's count of publications, so a stream of DMs from a keyless sender costs no requests.
 */
function privateDmSource(ctxOf: () => SliceContext): PrivateDmSource {
  let refreshedFor: number | undefined;
  let refreshing: Promise<void> = Promise.resolve();
  return {
    keys() {
      const own = ctxOf().live.memberKey;
      return own && { privateKey: own.privateKey, ownKey: own.publicKey };
    },
    async senderKey(from) {
      const ctx = ctxOf();
      const known = ctx.get().memberKeys[from]?.key;
      if (known) return known;
      if (ctx.live.keyPublications !== refreshedFor) {
        refreshedFor = ctx.live.keyPublications;
        refreshing = refreshMembers(ctx, ctx.live.generation);
      }
      await refreshing;
      return ctx.get().memberKeys[from]?.key;
    },
  };
}

/** Hands polled rows to the scheduler; their lines appear one by one as they are decrypted. */
export function processRows(ctx: SliceContext, rows: MessageRow[], mine: number) {
  const session = ctx.get().session;
  if (!session || rows.length === 0 || mine !== ctx.live.generation) return;
  const poll: Poll = { mark: `${BACKLOG_MEASURE}:start:${rows[0]![0]}`, remaining: rows.length };
  ctx.deps.performance?.mark(poll.mark);
  ctx.set({ decrypting: ctx.get().decrypting + rows.length });
  ctx.live.decryption.add(
    rows.map((row) => ({
      id: row[0],
      from: row[3],
      data: row[1],
      passphrase: row[3] === SYSTEM_USER ? session.syskey : session.roomPass,
      row,
      poll,
      generation: mine,
    })),
  );
}

function heldLine(job: RowJob): ChatLine {
  const [id, , ts, from, to] = job.row;
  return {
    kind: 'held',
    id,
    time: Math.round(ts * 1000),
    from,
    ...(to !== ROOM_WIDE ? { to } : {}),
  };
}

function measure(ctx: SliceContext, poll: Poll) {
  const perf = ctx.deps.performance;
  if (--poll.remaining > 0 || !perf) return;
  perf.mark(`${poll.mark}:end`);
  perf.measure(BACKLOG_MEASURE, poll.mark, `${poll.mark}:end`);
  perf.clearMarks(poll.mark);
  perf.clearMarks(`${poll.mark}:end`);
}

function flush(ctx: SliceContext, pending: Pending) {
  const results = pending.results.splice(0);
  const heldJobs = pending.held.splice(0);
  pending.scheduled = false;
  const { get, set, deps, live } = ctx;
  const session = get().session;
  const current = (job: RowJob) => job.generation === live.generation;
  const done = results.filter((r) => current(r.job));
  const held = heldJobs.filter(current);
  if (!session || (done.length === 0 && held.length === 0)) return;

  const decoded = done.map((r) => decodeLine(r.job.row, r.result));
  // A message given up after its tries ran out of time says nothing about the passphrase.
  const judged = done.filter((r) => r.result.ok || !r.result.retry);
  notePassphraseEvidence(
    ctx,
    judged.map((r) => r.job.row),
    judged.map((r) => decodeLine(r.job.row, r.result)),
  );
  for (const r of done) measure(ctx, r.job.poll);
  const state = get();
  const members = membersAfter(state.members, decoded);
  const fromOthers = decoded.filter(
    (line) =>
      (line.kind === 'say' || line.kind === 'do' || line.kind === 'undecryptable') &&
      line.from !== session.user,
  );
  if (!state.focused && fromOthers.length > 0 && state.notificationsOn) {
    const { title, body } = notificationFor(fromOthers, session.room, state.notificationText);
    deps.notifier?.notify(
      title,
      body,
      fromOthers.map((line) => line.id),
    );
  }
  // A held message that opens replaces its "slow to open" line.
  const opened = new Set(
    done.filter((r) => pending.heldKeys.delete(keyOf(r.job))).map((r) => r.job.id),
  );
  const lines =
    opened.size > 0
      ? state.lines.filter((line) => line.kind !== 'held' || !opened.has(line.id))
      : state.lines;
  const leftDecrypting = done.length - opened.size + held.length;
  set({
    ...bounded(mergeLines<RoomLine>(lines, [...decoded, ...held.map(heldLine)]), state.dropped),
    ...(members ? { members } : {}),
    decrypting: Math.max(0, state.decrypting - leftDecrypting),
    unread: state.focused ? 0 : state.unread + fromOthers.length,
  });
  if (members) void refreshMembers(ctx, live.generation);
}
