import { CRYPTO_LIMITS } from '../../src-shared/crypto/limits';
import type { LocalChatBridge } from '../../src-shared/ipc/contract';
import type { Cipher, DecryptResult } from './cipher';
import type { CipherReply, CipherRequest, WorkerInbound, WorkerOutbound } from './decrypt.worker';
import { answerS2kCall } from './mainS2k';

/** The part of a Web Worker the pool uses (tests give a fake). */
export interface CryptoWorker {
  postMessage(message: WorkerInbound): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<WorkerOutbound>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface WorkerCipherOptions {
  poolSize?: number;
  bridge?: LocalChatBridge;
  /** Longest one request may take in a worker before the worker is replaced, unless it says. */
  budgetMs?: number;
  createWorker?: () => CryptoWorker;
}

interface Task {
  request: CipherRequest;
  resolve(reply: CipherReply): void;
}

/** One worker and the requests sent to it, answered in order: the head is the one running. */
interface Slot {
  worker: CryptoWorker | null;
  queue: Task[];
  timer: ReturnType<typeof setTimeout> | null;
}

const createModuleWorker = (): CryptoWorker =>
  new Worker(new URL('./decrypt.worker.ts', import.meta.url), { type: 'module' });

/**
 * Runs message crypto in a small pool of module workers so a backlog never blocks the UI thread;
 * each gpg message costs a full S2K derivation, so spreading a backlog over cores shortens it.
 * One worker per two cores (at most two): each hashes a gpg S2K's two contexts on two threads,
 * so one message opens in about half the time, and another member's waits for less.
 *
 * Each request has a time budget from the moment its worker starts it (the previous answer
 * arrived, or it was sent to an idle worker): its own (the decrypt scheduler sets one from the
 * message's S2K work) or the pool's. Over budget, the worker is terminated — the only way to stop
 * work already running, and it drops that worker's key cache with it — the request is answered
 * "try again" (a busy machine is no proof the message is bad), and the requests queued behind it
 * go to a fresh worker. So no message holds back the ones after it by more than its budget.
 */
export function createWorkerCipher(options: WorkerCipherOptions = {}): Cipher {
  // Each worker has a helper for a gpg S2K's second context (decrypt.worker.ts): two threads.
  const poolSize =
    options.poolSize ??
    Math.min(2, Math.max(1, Math.ceil((navigator.hardwareConcurrency || 2) / 2)));
  const bridge = options.bridge ?? (typeof window === 'undefined' ? undefined : window.localchat);
  const budgetMs = options.budgetMs ?? CRYPTO_LIMITS.defaultRequestBudgetMs;
  const createWorker = options.createWorker ?? createModuleWorker;
  const slots: Slot[] = Array.from({ length: poolSize }, () => ({
    worker: null,
    queue: [],
    timer: null,
  }));
  let nextBatch = 0;
  const budgetOf = (request: CipherRequest) =>
    (request.op === 'decrypt' ? request.job.budgetMs : undefined) ?? budgetMs;

  function startClock(slot: Slot) {
    if (slot.timer !== null) clearTimeout(slot.timer);
    const head = slot.queue[0];
    slot.timer = head
      ? setTimeout(
          () => abandonHead(slot, 'over the decryption time budget'),
          budgetOf(head.request),
        )
      : null;
  }

  function stop(slot: Slot) {
    slot.worker?.terminate();
    slot.worker = null;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
  }

  /** `retry`: the request itself was not at fault (time ran out, the worker died); try again. */
  function fail(task: Task, message: string, retry: boolean) {
    task.resolve({ batch: task.request.batch, op: 'error', message, ...(retry ? { retry } : {}) });
  }

  function spawn(slot: Slot): CryptoWorker {
    const worker = createWorker();
    const send = (message: WorkerInbound) => worker.postMessage(message);
    worker.onmessage = (event) => {
      // A replaced worker's late answers belong to requests already settled.
      if (slot.worker !== worker) return;
      const message = event.data;
      if (message.op === 's2k-call') {
        if (bridge)
          void answerS2kCall(message, (req) => bridge.invoke('crypto:s2k-digests', req)).then(send);
        return;
      }
      const head = slot.queue[0];
      if (!head || head.request.batch !== message.batch) return;
      slot.queue.shift();
      startClock(slot);
      head.resolve(message);
    };
    worker.onerror = (event) => {
      if (slot.worker !== worker) return;
      stop(slot);
      for (const task of slot.queue.splice(0))
        fail(task, event.message || 'crypto worker failed', true);
    };
    if (bridge) send({ op: 'use-main-s2k' });
    slot.worker = worker;
    return worker;
  }

  /** Stops the running request: "try again"; the ones behind it go to a fresh worker. */
  function abandonHead(slot: Slot, reason: string) {
    stop(slot);
    const head = slot.queue.shift();
    if (head) fail(head, reason, true);
    if (slot.queue.length === 0) return;
    const worker = spawn(slot);
    for (const task of slot.queue) worker.postMessage(task.request);
    startClock(slot);
  }

  function run(request: CipherRequest): Promise<CipherReply> {
    const slot = slots.reduce((best, s) => (s.queue.length < best.queue.length ? s : best));
    return new Promise((resolve) => {
      slot.queue.push({ request, resolve });
      (slot.worker ?? spawn(slot)).postMessage(request);
      if (slot.queue.length === 1) startClock(slot);
    });
  }

  // Keep one worker loaded from the start, and again right after each reset: the page's server
  // answers then (a session is starting or ending), while the first encryption may come during an
  // outage, when a worker's script could not be fetched.
  spawn(slots[0]!);

  return {
    concurrency: poolSize,
    cancel(id) {
      const slot = slots.find((s) => {
        const head = s.queue[0]?.request;
        return head?.op === 'decrypt' && head.job.id === id;
      });
      if (slot) abandonHead(slot, 'cancelled');
    },
    reset() {
      // Terminating the workers is the only sure way to drop their cached keys.
      for (const slot of slots) {
        stop(slot);
        for (const task of slot.queue.splice(0)) fail(task, 'reset', false);
      }
      spawn(slots[0]!);
    },
    async encrypt(plaintext, passphrase) {
      const reply = await run({ batch: nextBatch++, op: 'encrypt', plaintext, passphrase });
      if (reply.op !== 'encrypt') throw new Error('Could not encrypt the message');
      return reply.ciphertext;
    },
    decrypt(jobs) {
      return Promise.all(
        jobs.map(async (job): Promise<DecryptResult> => {
          const reply = await run({ batch: nextBatch++, op: 'decrypt', job });
          if (reply.op === 'decrypt') return reply.result;
          return reply.op === 'error' && reply.retry
            ? { id: job.id, ok: false, retry: true }
            : { id: job.id, ok: false };
        }),
      );
    },
  };
}
