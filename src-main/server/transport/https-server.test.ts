import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCertificate } from './certificate';
import { closeHttps, listenHttps, type ListeningServer } from './https-server';

let listening: ListeningServer | undefined;
afterEach(async () => {
  if (listening) await closeHttps(listening.server);
  listening = undefined;
});

/** One TLS connection that offers `session`; resolves with whether it was resumed and its ticket. */
function connect(port: number, session?: Buffer): Promise<{ reused: boolean; ticket?: Buffer }> {
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, session });
    socket.on('session', (s: Buffer) => (ticket = s));
    socket.once('secureConnect', () => {
      // TLS 1.3 tickets arrive just after the handshake.
      setTimeout(() => {
        resolve({ reused: socket.isSessionReused(), ticket });
        socket.destroy();
      }, 50);
    });
    socket.once('error', reject);
  });
}

describe('TLS session tickets', () => {
  it('resumes a session from its ticket, and no longer once the ticket keys were replaced', async () => {
    const { key, cert } = await generateCertificate(['localhost'], ['127.0.0.1']);
    listening = await listenHttps({ key, cert }, '127.0.0.1', 0, (_req, res) => res.end(), {
      ticketKeyMs: 400,
    });
    const { port } = listening;
    const first = await connect(port);
    expect(first.reused).toBe(false);
    expect(first.ticket).toBeDefined();
    const resumed = await connect(port, first.ticket);
    expect(resumed.reused).toBe(true);
    await sleep(600);
    expect((await connect(port, first.ticket)).reused).toBe(false);
  });
});
