import { ActionError } from './action-error';
import { ARGON2_THREADS } from './argon2-thread';

/** A join's verification, or a new hash for createRoom / inviteUser. */
export type HashingKind = 'verify' | 'hash';

export interface HashingLimits {
  /** Jobs running at once (argon2 threads busy). */
  concurrency: number;
  /** Jobs queued or running for one source address, of either kind. */
  perSource: number;
  /** New hashes queued or running in all: they can never fill the room joins need. */
  hashesInAll: number;
  /** Jobs of either kind queued or running in all. */
  inAll: number;
}

export const DEFAULT_HASHING_LIMITS: HashingLimits = {
  concurrency: ARGON2_THREADS,
  perSource: 4,
  hashesInAll: 8,
  inAll: 32,
};

/** A full queue drains in under a second (~45 ms a job, two at a time); a retry sooner would meet it full. */
export const HASHING_RETRY_AFTER_SECONDS = 2;

const busy = (): ActionError => new ActionError(503, HASHING_RETRY_AFTER_SECONDS);

/** Since the queue was made: for diagnostics and tests. */
export interface HashingCounts {
  admitted: Record<HashingKind, number>;
  started: Record<HashingKind, number>;
  /** New hashes that started while a verification waited, summed over verifications. */
  hashesAheadOfVerify: number;
}

interface Job {
  kind: HashingKind;
  source: string;
  start: () => void;
}

/**
 * Admission and order for argon2 work, which costs ~45 ms and 19 MiB a job. Bounded per source
 * address and in all (503 + Retry-After beyond), so a flood queues a second of work at most,
 * not minutes of it and memory for every waiting request; verifications (joins) run before new
 * hashes; a job whose request went away before it started is dropped.
 */
export class HashingQueue {
  private readonly waiting: Record<HashingKind, Job[]> = { verify: [], hash: [] };
  private readonly perSource = new Map<string, number>();
  private running = 0;
  private admitted = 0;
  private hashes = 0;
  private readonly totals: HashingCounts = {
    admitted: { verify: 0, hash: 0 },
    started: { verify: 0, hash: 0 },
    hashesAheadOfVerify: 0,
  };

  constructor(private readonly limits: HashingLimits = DEFAULT_HASHING_LIMITS) {}

  run<T>(
    kind: HashingKind,
    source: string,
    aborted: AbortSignal | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    if (aborted?.aborted) return Promise.reject(busy());
    if (
      (this.perSource.get(source) ?? 0) >= this.limits.perSource ||
      this.admitted >= this.limits.inAll ||
      (kind === 'hash' && this.hashes >= this.limits.hashesInAll)
    )
      return Promise.reject(busy());
    this.admit(kind, source, 1);
    this.totals.admitted[kind] += 1;
    const hashesAtAdmission = this.totals.started.hash;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const queue = this.waiting[kind];
        const at = queue.indexOf(job);
        if (at < 0) return;
        queue.splice(at, 1);
        this.admit(kind, source, -1);
        reject(busy());
      };
      const job: Job = {
        kind,
        source,
        start: () => {
          aborted?.removeEventListener('abort', onAbort);
          this.running += 1;
          this.totals.started[kind] += 1;
          if (kind === 'verify')
            this.totals.hashesAheadOfVerify += this.totals.started.hash - hashesAtAdmission;
          work()
            .then(resolve, reject)
            .finally(() => {
              this.running -= 1;
              this.admit(kind, source, -1);
              this.next();
            });
        },
      };
      aborted?.addEventListener('abort', onAbort, { once: true });
      this.waiting[kind].push(job);
      this.next();
    });
  }

  /** Jobs queued or running, for diagnostics and tests. */
  size(): number {
    return this.admitted;
  }

  counts(): HashingCounts {
    return {
      admitted: { ...this.totals.admitted },
      started: { ...this.totals.started },
      hashesAheadOfVerify: this.totals.hashesAheadOfVerify,
    };
  }

  private admit(kind: HashingKind, source: string, delta: 1 | -1): void {
    this.admitted += delta;
    if (kind === 'hash') this.hashes += delta;
    const left = (this.perSource.get(source) ?? 0) + delta;
    if (left > 0) this.perSource.set(source, left);
    else this.perSource.delete(source);
  }

  private next(): void {
    while (this.running < this.limits.concurrency) {
      const job = this.waiting.verify.shift() ?? this.waiting.hash.shift();
      if (!job) return;
      job.start();
    }
  }
}
