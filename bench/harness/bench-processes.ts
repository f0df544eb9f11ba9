import { LoadProcess } from './load-process';
import { ServerProcess, type ServerProcessOptions, type ServerStats } from './server-process';

/** A fresh server process and load-generator process for one scenario, always torn down. */
export async function withProcesses<T>(
  options: ServerProcessOptions,
  body: (server: ServerProcess, load: LoadProcess) => Promise<T>,
): Promise<T> {
  const server = await ServerProcess.start(options);
  const load = LoadProcess.start();
  try {
    return await body(server, load);
  } finally {
    await Promise.all([load.stop(), server.stop()]);
  }
}

/** Server CPU use between two stats samples, as a share of one core (200% = both cores of two). */
export function cpuShare(
  before: { cpuMs: number },
  after: { cpuMs: number },
  elapsedMs: number,
): number {
  return elapsedMs > 0 ? (after.cpuMs - before.cpuMs) / elapsedMs : 0;
}

/** Server stats taken `startMs` and `endMs` from now, e.g. around a job's measured window. */
export async function statsAround(
  server: ServerProcess,
  startMs: number,
  endMs: number,
): Promise<[ServerStats, ServerStats]> {
  const at = (delay: number) =>
    new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => server.stats());
  return Promise.all([at(startMs), at(endMs)]);
}

/** Samples server stats every `intervalMs` until stopped; resolves with every sample taken. */
export function sampleStats(
  server: ServerProcess,
  intervalMs: number,
): { stop(): Promise<ServerStats[]> } {
  const samples: ServerStats[] = [];
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = server.stats().then((s) => samples.push(s));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
      return samples;
    },
  };
}
