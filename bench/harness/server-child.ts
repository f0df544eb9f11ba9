/**
 * Runs the room server alone in this process, so its memory and CPU can be measured without the
 * load generator's. Bundled to plain JS before it runs (server-bundle.ts); the parent talks to it
 * over IPC (server-process.ts).
 */
import { startServer } from '../../src-main/server/index';
import type { ServerChildSetup } from './server-process';
import { serveParent } from './server-ipc';

const setup = JSON.parse(process.argv[2] ?? '{}') as ServerChildSetup;
const server = await startServer({
  // Load generators post far faster than people type; scenarios measure the server, not its
  // per-member send limit.
  sendThrottle: { burst: 1_000_000 },
  ...setup.server,
  host: '127.0.0.1',
  port: 0,
  log: (line) => process.stderr.write(`[server] ${line}\n`),
});
serveParent(server);
