/**
 * argon2id on worker threads of its own (two at most), with hash-wasm's WebAssembly build.
 *
 * Why not the native `argon2` package on libuv's pool: each pool thread that ever hashed keeps its
 * 19 MiB working memory in its malloc arena for the life of the process (~76 MB with four
 * threads), and pool threads run at the event loop's priority, so a burst of joins slows every
 * poll. Here the working memory is WebAssembly memory that goes away with the worker, which ends
 * after a few idle seconds, and on Linux the worker lowers its own scheduling priority so that
 * serving polls comes first.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Below the event loop, so a burst of joins does not delay polls, but not the lowest (19): next to
 * a busy compile or game on the host's laptop, joins would wait seconds.
 */
export const ARGON2_NICE = 10;

/** OWASP's argon2id minimum: cheap enough for a laptop host, still costly to brute-force offline. */
const ARGON2_PARAMETERS = { memorySize: 19_456, iterations: 2, parallelism: 1 } as const;

/** How long an idle worker (and its 19 MiB) stays; settable for tests. */
export const argon2Thread = { idleMs: 5_000 };

type Job =
  | { op: 'hash'; password: string; salt: Uint8Array }
  | { op: 'verify'; password: string; hash: string };

// Eval'd source, so it runs the same under tsx, vitest and a bundled main process; hash-wasm's
// self-contained UMD build is handed over as text for the same reason (no module resolution in
// the worker, which inside an Electron asar may not find node_modules).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (process.platform === 'linux') {
  try {
    const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
    require('node:os').setPriority(tid, workerData.nice);
  } catch {}
}
const module = { exports: {} };
new Function('module', 'exports', workerData.argon2Source)(module, module.exports);
const { argon2id, argon2Verify } = module.exports;
parentPort.on('message', async (job) => {
  try {
    const value = job.op === 'hash'
      ? await argon2id({ ...workerData.parameters, password: job.password, salt: job.salt, hashLength: 32, outputType: 'encoded' })
      : await argon2Verify({ password: job.password, hash: job.hash });
    parentPort.postMessage({ ok: true, value });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message) });
  }
});
`;

let argon2Source: string | undefined;

function loadArgon2Source(): string {
  argon2Source ??= readFileSync(
    createRequire(import.meta.url).resolve('hash-wasm/dist/argon2.umd.min.js'),
    'utf8',
  );
  return argon2Source;
}

interface Thread {
  worker: Worker;
  busy: boolean;
  idle?: NodeJS.Timeout;
}

/**
 * Threads hashing at once. Two, so 20 joins at once take half as long on the two cores of a
 * small laptop; not more, because at nice 10 they only use what serving polls leaves, and every
 * live thread holds its 19 MiB. The hashing queue admits as many jobs at once (hashing-queue.ts).
 */
export const ARGON2_THREADS = Math.max(1, Math.min(2, availableParallelism()));

const threads = new Set<Thread>();
/** Jobs waiting for a thread, oldest first. */
const waiting: ((thread: Thread) => void)[] = [];

function spawn(): Thread {
  const thread: Thread = {
    busy: true,
    worker: new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        argon2Source: loadArgon2Source(),
        parameters: ARGON2_PARAMETERS,
        nice: ARGON2_NICE,
      },
    }),
  };
  thread.worker.unref();
  thread.worker.once('exit', () => threads.delete(thread));
  threads.add(thread);
  return thread;
}

function acquire(): Promise<Thread> {
  for (const thread of threads) {
    if (thread.busy) continue;
    clearTimeout(thread.idle);
    thread.busy = true;
    return Promise.resolve(thread);
  }
  if (threads.size < ARGON2_THREADS) return Promise.resolve(spawn());
  return new Promise((resolve) => waiting.push(resolve));
}

/** Hands the thread to the next waiting job, or lets it idle and end after `idleMs`. */
function release(thread: Thread): void {
  if (!threads.has(thread)) {
    // It died: a waiting job gets a new thread.
    const next = waiting.shift();
    if (next) next(spawn());
    return;
  }
  const next = waiting.shift();
  if (next) return next(thread);
  thread.busy = false;
  thread.idle = setTimeout(() => {
    // Forgotten first, so a job arriving while it shuts down gets a new thread.
    threads.delete(thread);
    void thread.worker.terminate();
  }, argon2Thread.idleMs).unref();
}

async function run<T>(job: Job): Promise<T> {
  const thread = await acquire();
  return new Promise<T>((resolve, reject) => {
    const { worker } = thread;
    const settle = (finish: () => void) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      release(thread);
      finish();
    };
    const onMessage = (reply: { ok: boolean; value?: T; message?: string }) =>
      settle(() =>
        reply.ok
          ? resolve(reply.value as T)
          : reject(new Error(`argon2 ${job.op} failed: ${reply.message}`)),
      );
    const onError = (error: Error) => {
      threads.delete(thread);
      settle(() => reject(error));
    };
    const onExit = (code: number) => {
      threads.delete(thread);
      settle(() => reject(new Error(`argon2 worker exited with code ${code}`)));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(job);
  });
}

/** An encoded `$argon2id$v=19$m=19456,t=2,p=1$salt$hash` string. */
export function argon2Hash(password: string): Promise<string> {
  return run({ op: 'hash', password, salt: randomBytes(16) });
}

export function argon2Matches(encoded: string, password: string): Promise<boolean> {
  return run({ op: 'verify', password, hash: encoded });
}

/** Diagnostics for tests: how many workers (each with its memory) are alive right now. */
export function argon2WorkersRunning(): number {
  return threads.size;
}
