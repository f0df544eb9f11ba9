/**
 * argon2id on worker threads of its own (two at most), with the SIMD WebAssembly build of the
 * `argon2id` package (OpenPGP.js's): ~45 ms per hash on this project's 2-core bench machine,
 * where hash-wasm's build took ~93 ms and the native addon ~36 ms.
 *
 * Why not the native `argon2` package on libuv's pool: each pool thread that ever hashed keeps its
 * 19 MiB working memory in its malloc arena for the life of the process (~76 MB with four
 * threads), and pool threads run at the event loop's priority, so a burst of joins slows every
 * poll. Here the working memory is WebAssembly memory that goes away with the worker, which ends
 * after a few idle seconds, and on Linux the worker lowers its own scheduling priority so that
 * serving polls comes first.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ARGON2_PARAMETERS, decodeArgon2, encodeArgon2 } from './argon2-encoding';

/**
 * Below the event loop, so a burst of joins does not delay polls, but not the lowest (19): next to
 * a busy compile or game on the host's laptop, joins would wait seconds.
 */
export const ARGON2_NICE = 10;

const SALT_BYTES = 16;

/** How long an idle worker (and its 19 MiB) stays; settable for tests. */
export const argon2Thread = { idleMs: 5_000 };

interface Job {
  password: string;
  salt: Uint8Array;
}

// An ES module from a data: URL, so it runs the same under tsx, vitest and a bundled main
// process: the worker resolves no package and reads no file (inside an Electron asar it might not
// find node_modules); the package's code and WebAssembly are read here and handed over.
const WORKER_SOURCE = `
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
if (process.platform === 'linux') {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice);
  } catch {}
}
const { default: setupWasm } = await import(workerData.argon2.module);
const argon2id = await setupWasm(
  (imports) => WebAssembly.instantiate(workerData.argon2.simd, imports),
  (imports) => WebAssembly.instantiate(workerData.argon2.noSimd, imports),
);
const encoder = new TextEncoder();
parentPort.on('message', (job) => {
  try {
    const tag = argon2id({ ...workerData.parameters, password: encoder.encode(job.password), salt: job.salt });
    parentPort.postMessage({ ok: true, value: tag });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message) });
  }
});
`;

interface Argon2Package {
  /** data: URL of the package's entry module, with its own imports rewritten to data: URLs. */
  module: string;
  simd: Buffer;
  noSimd: Buffer;
}

let argon2Package: Argon2Package | undefined;

function loadArgon2Package(): Argon2Package {
  if (argon2Package) return argon2Package;
  const lib = dirname(createRequire(import.meta.url).resolve('argon2id/lib/setup.js'));
  const read = (file: string) => readFileSync(join(lib, file), 'utf8');
  const blake2b = moduleUrl(read('blake2b.js'));
  const argon2id = moduleUrl(importing(read('argon2id.js'), './blake2b.js', blake2b));
  argon2Package = {
    module: moduleUrl(importing(read('setup.js'), './argon2id.js', argon2id)),
    simd: readFileSync(join(lib, '../dist/simd.wasm')),
    noSimd: readFileSync(join(lib, '../dist/no-simd.wasm')),
  };
  return argon2Package;
}

function moduleUrl(source: string): string {
  return `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
}

/**
 * A data: module cannot resolve a relative import: each one is pointed at the imported module's
 * own data: URL. The package version is pinned; a release that imports otherwise fails here.
 */
function importing(source: string, specifier: string, url: string): string {
  const quoted = `"${specifier}"`;
  if (!source.includes(quoted)) throw new Error(`argon2id: no import of ${specifier} to resolve`);
  return source.replace(quoted, JSON.stringify(url));
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
    worker: new Worker(new URL(moduleUrl(WORKER_SOURCE)), {
      workerData: {
        argon2: loadArgon2Package(),
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

async function run(job: Job): Promise<Uint8Array> {
  const thread = await acquire();
  return new Promise((resolve, reject) => {
    const { worker } = thread;
    const settle = (finish: () => void) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      release(thread);
      finish();
    };
    const onMessage = (reply: { ok: boolean; value?: Uint8Array; message?: string }) =>
      settle(() =>
        reply.ok && reply.value
          ? resolve(reply.value)
          : reject(new Error(`argon2 failed: ${reply.message}`)),
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

/** An encoded `$argon2id$v=19$m=19456,t=2,p=1$salt$hash` string, with a new random salt. */
export async function argon2Hash(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return encodeArgon2(salt, await run({ password, salt }));
}

export async function argon2Matches(encoded: string, password: string): Promise<boolean> {
  const stored = decodeArgon2(encoded);
  if (!stored) throw new Error('argon2 verify failed: not an argon2id hash of our parameters');
  const tag = await run({ password, salt: stored.salt });
  return tag.length === stored.tag.length && timingSafeEqual(tag, stored.tag);
}

/** Ends every worker now, failing the jobs they run (tests of a thread that crashes mid-hash). */
export async function stopArgon2Workers(): Promise<void> {
  await Promise.all([...threads].map((thread) => thread.worker.terminate()));
}

/** Diagnostics for tests: how many workers (each with its memory) are alive right now. */
export function argon2WorkersRunning(): number {
  return threads.size;
}
