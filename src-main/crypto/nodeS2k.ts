/**
 * node:crypto S2K backends for the Node main process (src-shared cannot import node:*).
 * Both stream: a 64 KiB chunk of the repeated pattern is fed to the hash again and again, so
 * GnuPG's 65 MB S2K needs no 65 MB buffer and no copy of one, unlike one-shot WebCrypto.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { S2kBackend, S2kHash } from '../../src-shared/crypto/s2k';

const NODE_HASH: Readonly<Record<S2kHash, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const CHUNK_TARGET = 64 * 1024;

/** The pattern repeated to about 64 KiB, a whole number of times so chunks follow on seamlessly. */
function repeatedChunk(pattern: Uint8Array, count: number): Uint8Array {
  const repeats = Math.max(1, Math.floor(Math.min(CHUNK_TARGET, count) / pattern.length));
  const chunk = new Uint8Array(repeats * pattern.length);
  for (let i = 0; i < repeats; i++) chunk.set(pattern, i * pattern.length);
  return chunk;
}

/** Hashes every context in the same pass over the chunk, which stays hot in the CPU cache. */
function streamDigests(
  hash: S2kHash,
  pattern: Uint8Array,
  count: number,
  contexts: number,
): Uint8Array[] {
  const chunk = repeatedChunk(pattern, count);
  const hashes = Array.from({ length: contexts }, (_, p) =>
    createHash(NODE_HASH[hash]).update(new Uint8Array(p)),
  );
  let left = count;
  for (; left >= chunk.length; left -= chunk.length) for (const h of hashes) h.update(chunk);
  for (const h of hashes) h.update(chunk.subarray(0, left));
  chunk.fill(0);
  return hashes.map((h) => new Uint8Array(h.digest()));
}

/** Synchronous streaming on the calling thread: no extra memory, contexts one after another. */
export const nodeStreamingS2kBackend: S2kBackend = {
  async repeatedDigests(hash, pattern, count, contexts) {
    return streamDigests(hash, pattern, count, contexts);
  },
};

// The worker is eval'd source so it works the same under tsx, vitest and a bundled main process.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, hash, pattern, count, preload }) => {
  const repeats = Math.max(1, Math.floor(Math.min(${CHUNK_TARGET}, count) / pattern.length));
  const chunk = new Uint8Array(repeats * pattern.length);
  for (let i = 0; i < repeats; i++) chunk.set(pattern, i * pattern.length);
  const h = createHash(hash).update(new Uint8Array(preload));
  let left = count;
  for (; left >= chunk.length; left -= chunk.length) h.update(chunk);
  h.update(chunk.subarray(0, left));
  chunk.fill(0);
  const digest = new Uint8Array(h.digest());
  parentPort.postMessage({ id, digest }, [digest.buffer]);
});
`;

interface Job {
  resolve(digest: Uint8Array): void;
  reject(error: Error): void;
}

interface PooledWorker {
  worker: Worker;
  jobs: Map<number, Job>;
}

export interface NodeWorkerS2kBackend extends S2kBackend {
  /** Stops the worker threads; later calls start new ones. */
  close(): Promise<void>;
}

/**
 * Runs each hash context on its own worker thread. An AES-256 key from a SHA-1 S2K (GnuPG's
 * default) needs two 65 MB contexts; in parallel they take the wall time of one, and the main
 * thread (Electron's event loop) is never blocked. Idle workers do not keep the process alive.
 */
export function createNodeWorkerS2kBackend(threads = 2): NodeWorkerS2kBackend {
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError('threads must be a positive integer');
  let pool: PooledWorker[] = [];
  let nextId = 0;

  function spawn(): PooledWorker {
    const entry: PooledWorker = {
      worker: new Worker(WORKER_SOURCE, { eval: true }),
      jobs: new Map(),
    };
    entry.worker.unref();
    entry.worker.on('message', ({ id, digest }: { id: number; digest: Uint8Array }) => {
      entry.jobs.get(id)?.resolve(digest);
      entry.jobs.delete(id);
      if (entry.jobs.size === 0) entry.worker.unref();
    });
    const failAll = (error: Error) => {
      for (const job of entry.jobs.values()) job.reject(error);
      entry.jobs.clear();
      pool = pool.filter((other) => other !== entry);
    };
    entry.worker.on('error', failAll);
    entry.worker.on('exit', (code) => failAll(new Error(`S2K worker stopped (exit code ${code})`)));
    return entry;
  }

  function leastBusy(): PooledWorker {
    if (pool.length < threads) {
      const idle = pool.find((entry) => entry.jobs.size === 0);
      if (idle) return idle;
      const entry = spawn();
      pool.push(entry);
      return entry;
    }
    return pool.reduce((best, entry) => (entry.jobs.size < best.jobs.size ? entry : best));
  }

  function run(
    hash: S2kHash,
    pattern: Uint8Array,
    count: number,
    preload: number,
  ): Promise<Uint8Array> {
    const entry = leastBusy();
    const id = nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      entry.jobs.set(id, { resolve, reject });
      entry.worker.ref();
      entry.worker.postMessage({ id, hash: NODE_HASH[hash], pattern, count, preload });
    });
  }

  return {
    repeatedDigests(hash, pattern, count, contexts) {
      return Promise.all(Array.from({ length: contexts }, (_, p) => run(hash, pattern, count, p)));
    },
    async close() {
      const stopping = pool;
      pool = [];
      await Promise.all(stopping.map((entry) => entry.worker.terminate()));
    },
  };
}
