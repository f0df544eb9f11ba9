import { CRYPTO_LIMITS, decryptBudgetMs } from '../../src-shared/crypto/limits';
import type { Cipher, DecryptResult } from './cipher';
import type { Clock } from './poller';

/** One received message to open, with who sent it (the server-authenticated sender). */
export interface SenderJob {
  id: number;
  from: string;
  data: string;
  passphrase: string;
}

/**
 * How much S2K work each sender may make this reader do: a bucket of `burst` gpg messages' work
 * that refills at `perMinute` gpg messages' work a minute. Work, not messages: our own messages
 * cost 1/2000 of a gpg one, so only costly messages ever meet it.
 */
export interface SenderBudget {
  burst: number;
  perMinute: number;
}

/**
 * A stock user typing at human speed sends well under one line a second on average, and a burst
 * of pasted lines is a few dozen: they never meet this. A flood of gpg-sized messages is held
 * after 30 and then opens at one every two seconds, about a fifth of one core.
 */
export const SENDER_BUDGET: SenderBudget = { burst: 30, perMinute: 30 };

export interface DecryptSchedulerOptions<J extends SenderJob> {
  cipher: Cipher;
  /** Jobs in flight at once: the cipher's worker count, so none waits inside a worker. */
  concurrency: number;
  clock: Clock;
  /** S2K octets a message costs (s2kWorkOf). */
  workOf(data: string): number;
  budget?: SenderBudget;
  /** A message decrypted, or found undecryptable: called once per job, as soon as it is known. */
  onResult(job: J, result: DecryptResult): void;
  /** A message waits for its sender's budget; it opens when the budget refills, or on open(id). */
  onHeld(job: J): void;
}

interface Queued<J> {
  job: J;
  work: number;
  attempt: number;
  /** Opened on request: the sender's budget does not hold it. */
  forced: boolean;
  held: boolean;
  /** Stopped once to let another member's message start: never again, so work lost is bounded. */
  preempted: boolean;
  /** Stopped just now: its "try again" answer puts it back first in its sender's queue. */
  cancelled: boolean;
  /** Its work has been taken from the sender's budget (on its first start). */
  paid: boolean;
}

interface Sender<J> {
  queue: Queued<J>[];
  inFlight: number;
  /** Work the sender may still spend; refilled continuously up to the burst. */
  tokens: number;
  refilledAt: number;
  /** When a job of theirs last started: the longest-waiting sender goes first on a tie. */
  servedAt: number;
}

export interface DecryptScheduler<J extends SenderJob = SenderJob> {
  add(jobs: readonly J[]): void;
  /** Opens a held message now, whatever its sender's budget (the reader asked for it). */
  open(id: number): void;
  /** Drops every job (a new session): results of jobs in flight are not reported. */
  reset(): void;
}

/**
 * Decides which received message is decrypted next, so that no sender can stall the others:
 *
 * - at most `concurrency` jobs run at once, one per worker, and every result is reported as soon
 *   as it is known (never behind a slower message);
 * - the next free worker takes a job of the sender with the fewest jobs running (the longest
 *   unserved on a tie), and when all are busy with a backlog of one sender, a message of a
 *   sender with nothing running stops one of them (each at most once, it starts again next): a
 *   sender's backlog delays another's message by at most one message's work;
 * - each sender spends S2K work from a bucket (SenderBudget); past it, their further messages
 *   are held (reported by onHeld) until it refills or the reader opens them;
 * - a job over its time budget (set from its work) or whose worker died is tried again, with
 *   twice the budget, behind its sender's other jobs: a busy machine never loses a message, and
 *   never makes it look undecryptable. Only after CRYPTO_LIMITS.decryptAttempts tries (minutes of
 *   budget, or a worker that cannot run at all) is it reported, still marked `retry`.
 */
export function createDecryptScheduler<J extends SenderJob>(
  options: DecryptSchedulerOptions<J>,
): DecryptScheduler<J> {
  const { cipher, concurrency, clock, workOf, onResult, onHeld } = options;
  const budget = options.budget ?? SENDER_BUDGET;
  const capacity = budget.burst * CRYPTO_LIMITS.gpgMessageWork;
  const refillPerMs = (budget.perMinute * CRYPTO_LIMITS.gpgMessageWork) / 60_000;
  let senders = new Map<string, Sender<J>>();
  let running = 0;
  let served = 0;
  let generation = 0;
  let wakeTimer: unknown = null;
  let runningJobs: { sender: Sender<J>; queued: Queued<J>; order: number }[] = [];

  function senderOf(from: string): Sender<J> {
    let sender = senders.get(from);
    if (!sender) {
      sender = { queue: [], inFlight: 0, tokens: capacity, refilledAt: clock.now(), servedAt: 0 };
      senders.set(from, sender);
    }
    return sender;
  }

  function refill(sender: Sender<J>, now: number) {
    sender.tokens = Math.min(capacity, sender.tokens + (now - sender.refilledAt) * refillPerMs);
    sender.refilledAt = now;
  }

  /** The sender's next job: one the reader asked for first, then the first it can afford. */
  function startable(sender: Sender<J>): Queued<J> | undefined {
    return (
      sender.queue.find((q) => q.forced) ??
      sender.queue.find((q) => q.paid || q.work <= sender.tokens)
    );
  }

  function pick(): { sender: Sender<J>; queued: Queued<J> } | null {
    const now = clock.now();
    let best: { sender: Sender<J>; queued: Queued<J> } | null = null;
    for (const sender of senders.values()) {
      refill(sender, now);
      const queued = startable(sender);
      if (!queued) continue;
      if (
        !best ||
        sender.inFlight < best.sender.inFlight ||
        (sender.inFlight === best.sender.inFlight && sender.servedAt < best.sender.servedAt)
      )
        best = { sender, queued };
    }
    return best;
  }

  /** Marks newly blocked jobs as held and wakes up when the first of them becomes affordable. */
  function holdTheRest() {
    let soonest = Infinity;
    for (const sender of senders.values()) {
      // Counted in queue order: the jobs the budget left covers wait their turn, unmarked.
      let covered = sender.tokens;
      for (const queued of sender.queue) {
        if (queued.forced || queued.paid) continue;
        if (queued.work <= covered) {
          covered -= queued.work;
          continue;
        }
        if (!queued.held) {
          queued.held = true;
          onHeld(queued.job);
        }
        if (queued.work > sender.tokens)
          soonest = Math.min(soonest, (queued.work - sender.tokens) / refillPerMs);
      }
    }
    if (wakeTimer !== null) clock.clearTimeout(wakeTimer);
    wakeTimer = null;
    if (soonest < Infinity) {
      wakeTimer = clock.setTimeout(
        () => {
          wakeTimer = null;
          pump();
        },
        Math.max(1, Math.ceil(soonest)),
      );
    }
  }

  /**
   * When every worker is busy and a sender with nothing running has a message to start, stops
   * the newest running message of a sender with a backlog (each message at most once): that
   * message starts again next for its sender, and the other's starts now.
   */
  function preempt() {
    if (!cipher.cancel || running < concurrency) return;
    const waiting = [...senders.values()].some((s) => s.inFlight === 0 && startable(s));
    if (!waiting) return;
    let victim: (typeof runningJobs)[number] | undefined;
    for (const r of runningJobs) {
      if (r.queued.preempted || r.queued.cancelled || r.sender.queue.length === 0) continue;
      if (!victim || r.order > victim.order) victim = r;
    }
    if (!victim) return;
    victim.queued.preempted = true;
    victim.queued.cancelled = true;
    cipher.cancel(victim.queued.job.id);
  }

  function pump() {
    while (running < concurrency) {
      const next = pick();
      if (!next) break;
      start(next.sender, next.queued);
    }
    holdTheRest();
  }

  function start(sender: Sender<J>, queued: Queued<J>) {
    sender.queue.splice(sender.queue.indexOf(queued), 1);
    // Paid for once, whatever restarts it; a forced job spends what is left.
    if (!queued.paid) sender.tokens = Math.max(0, sender.tokens - queued.work);
    queued.paid = true;
    sender.inFlight++;
    sender.servedAt = ++served;
    running++;
    const entry = { sender, queued, order: served };
    runningJobs.push(entry);
    const mine = generation;
    const { job } = queued;
    const request = {
      id: job.id,
      from: job.from,
      data: job.data,
      passphrase: job.passphrase,
      budgetMs: decryptBudgetMs(queued.work, queued.attempt),
    };
    void cipher
      .decrypt([request])
      .then(
        (results) => results.find((r) => r.id === job.id) ?? { id: job.id, ok: false as const },
        (): DecryptResult => ({ id: job.id, ok: false, retry: true }),
      )
      .then((result) => {
        if (mine !== generation) return;
        running--;
        sender.inFlight--;
        runningJobs = runningJobs.filter((r) => r !== entry);
        if (queued.cancelled && !result.ok && result.retry) {
          sender.queue.unshift({ ...queued, cancelled: false });
        } else if (
          !result.ok &&
          result.retry &&
          queued.attempt + 1 < CRYPTO_LIMITS.decryptAttempts
        ) {
          sender.queue.push({ ...queued, attempt: queued.attempt + 1 });
        } else {
          // Given up (`retry` still set: a worker that keeps failing) or decided.
          onResult(job, result);
        }
        pump();
      });
  }

  return {
    add(jobs) {
      for (const job of jobs) {
        senderOf(job.from).queue.push({
          job,
          work: workOf(job.data),
          attempt: 0,
          forced: false,
          held: false,
          preempted: false,
          cancelled: false,
          paid: false,
        });
      }
      pump();
      preempt();
    },
    open(id) {
      for (const sender of senders.values()) {
        const queued = sender.queue.find((q) => q.job.id === id);
        if (queued) queued.forced = true;
      }
      pump();
      preempt();
    },
    reset() {
      generation++;
      senders = new Map();
      running = 0;
      runningJobs = [];
      if (wakeTimer !== null) clock.clearTimeout(wakeTimer);
      wakeTimer = null;
    },
  };
}
