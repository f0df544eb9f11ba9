/**
 * Runs the room server alone in this process, so its memory and CPU can be measured without the
 * load generator's. Bundled to plain JS before it runs (server-bundle.ts); the parent talks to it
 * over IPC (server-process.ts).
 */
import { startServer } from '../../src-main/server/index';
import type { ServerChildReply, ServerChildRequest, ServerChildSetup } from './server-process';

const setup = JSON.parse(process.argv[2] ?? '{}') as ServerChildSetup;
const server = await startServer({
  ...setup.server,
  host: '127.0.0.1',
  port: 0,
  log: (line) => process.stderr.write(`[server] ${line}\n`),
});

const send = (reply: ServerChildReply) => process.send?.(reply);
send({ type: 'ready', url: server.url, certificatePem: server.certificatePem });

process.on('message', (request: ServerChildRequest) => {
  if (request.type === 'stats') {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (request.type === 'close') {
    // Exit normally rather than by signal so --cpu-prof gets to write its profile.
    void server.close().finally(() => process.exit(0));
  }
});
