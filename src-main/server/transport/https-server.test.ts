import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateCertificate } from './certificate';
import { closeHttps, listenHttps, TICKET_KEY_MS, type ListeningServer } from './https-server';

let listening: ListeningServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
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
    vi.useFakeTimers({ toFake: ['setInterval'] });
    listening = await listenHttps({ key, cert }, '127.0.0.1', 0, (_req, res) => res.end());
    const { port } = listening;
    const first = await connect(port);
    expect(first.reused).toBe(false);
    expect(first.ticket).toBeDefined();
    const resumed = await connect(port, first.ticket);
    expect(resumed.reused).toBe(true);
    vi.advanceTimersByTime(TICKET_KEY_MS);
    expect((await connect(port, first.ticket)).reused).toBe(false);
  });
});
