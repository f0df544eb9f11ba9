import type { ServerChildReply, ServerChildRequest } from './server-process';

/** The child side of server-process.ts: announce the server, answer stats, close on request. */
export function serveParent(server: {
  url: string;
  certificatePem: string;
  close(): Promise<void>;
}): void {
  const send = (reply: ServerChildReply) => process.send?.(reply);
  send({ type: 'ready', url: server.url, certificatePem: server.certificatePem });
  process.on('message', (request: ServerChildRequest) => {
    if (request.type === 'stats') {
      if (request.gc) (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      send({
        type: 'stats',
        rss: memory.rss,
        heapTotal: memory.heapTotal,
        heapUsed: memory.heapUsed,
        external: memory.external,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    } else if (request.type === 'close') {
      // Exit normally rather than by signal so --cpu-prof gets to write its profile.
      void server.close().finally(() => process.exit(0));
    }
  });
}
