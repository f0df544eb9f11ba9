/**
 * argon2id on a worker thread of its own, with hash-wasm's WebAssembly build.
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
import { Worker } from 'node:worker_threads';

/** OWASP's argon2id minimum: cheap enough for a laptop host, still costly to brute-force offline. */
/**
 * Below the event loop, so a burst of joins does not delay polls, but not the lowest (19): next to
 * a busy compile or game on the host's laptop, joins would wait seconds.
 */
export const ARGON2_NICE = 10;

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

interface Running {
  worker: Worker;
  idle?: NodeJS.Timeout;
}

let running: Running | undefined;
/** One job at a time: a second concurrent argon2 would take the other core from the event loop. */
let queue: Promise<unknown> = Promise.resolve();

function worker(): Running {
  if (running) {
    clearTimeout(running.idle);
    return running;
  }
  const started: Running = {
    worker: new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        argon2Source: loadArgon2Source(),
        parameters: ARGON2_PARAMETERS,
        nice: ARGON2_NICE,
      },
    }),
  };
  started.worker.unref();
  started.worker.once('exit', () => {
    if (running === started) running = undefined;
  });
  running = started;
  return started;
}

function run<T>(job: Job): Promise<T> {
  const result = queue.then(
    () =>
      new Promise<T>((resolve, reject) => {
        const current = worker();
        const settle = (finish: () => void) => {
          current.worker.off('message', onMessage);
          current.worker.off('error', onError);
          current.worker.off('exit', onExit);
          current.idle = setTimeout(() => {
            // Forgotten first, so a job arriving while it shuts down gets a new worker.
            if (running === current) running = undefined;
            void current.worker.terminate();
          }, argon2Thread.idleMs).unref();
          finish();
        };
        const onMessage = (reply: { ok: boolean; value?: T; message?: string }) =>
          settle(() =>
            reply.ok
              ? resolve(reply.value as T)
              : reject(new Error(`argon2 ${job.op} failed: ${reply.message}`)),
          );
        const onError = (error: Error) => settle(() => reject(error));
        const onExit = (code: number) =>
          settle(() => reject(new Error(`argon2 worker exited with code ${code}`)));
        current.worker.on('message', onMessage);
        current.worker.once('error', onError);
        current.worker.once('exit', onExit);
        current.worker.postMessage(job);
      }),
  );
  queue = result.catch(() => undefined);
  return result;
}

/** An encoded `$argon2id$v=19$m=19456,t=2,p=1$salt$hash` string. */
export function argon2Hash(password: string): Promise<string> {
  return run({ op: 'hash', password, salt: randomBytes(16) });
}

export function argon2Matches(encoded: string, password: string): Promise<boolean> {
  return run({ op: 'verify', password, hash: encoded });
}

/** Diagnostics for tests: whether the worker (and its memory) is alive right now. */
export function argon2WorkerRunning(): boolean {
  return running !== undefined;
}
