import { startServer, type RunningServer } from '../server/index';
import type { FromServer, ToServer } from './server-process';

/**
 * The room server's process (see server-process.ts): started by Electron's utilityProcess,
 * whose parent port carries the messages, or by child_process.fork, with process.send.
 */

interface ParentPort {
  on(event: 'message', listener: (event: { data: ToServer }) => void): void;
  postMessage(message: FromServer): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: FromServer): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

function onMessage(listener: (message: ToServer) => void): void {
  if (parentPort) parentPort.on('message', (event) => listener(event.data));
  else process.on('message', (message) => listener(message as ToServer));
}

let server: RunningServer | undefined;

onMessage((message) => {
  if (message.type === 'start' && !server) {
    startServer({ ...message.options, log: (line) => send({ type: 'log', line }) }).then(
      (running) => {
        server = running;
        send({
          type: 'ready',
          port: running.port,
          fingerprint: running.fingerprint,
          ...(running.webUrl ? { webUrl: running.webUrl } : {}),
        });
      },
      (error: NodeJS.ErrnoException) =>
        send({
          type: 'failed',
          ...(error.code ? { code: error.code } : {}),
          message: error.message,
        }),
    );
  } else if (message.type === 'close') {
    void (server?.close() ?? Promise.resolve()).then(() => {
      send({ type: 'closed' });
      process.exit(0);
    });
  }
});

// The app went away without closing: so does the server, with its rooms.
if (!parentPort) process.on('disconnect', () => process.exit(0));
