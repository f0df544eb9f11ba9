import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';

/**
 * Sockets below HTTP, for tests of how the server treats connections: slow, idle, or too many
 * from one address. Only ever to 127.0.0.1, from a chosen address in 127.0.0.0/8.
 */

/** A TLS connection, resolved once the handshake is done (the server has accepted it). */
export function tlsSocket(port: number, localAddress?: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        ...(localAddress ? { localAddress } : {}),
      },
      () => {
        socket.off('error', reject);
        resolve(socket);
      },
    );
    socket.once('error', reject);
  });
}

/** A bare TCP connection that never starts TLS. */
export function tcpSocket(port: number, localAddress?: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: '127.0.0.1',
      port,
      ...(localAddress ? { localAddress } : {}),
    });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export interface Watched {
  /** Milliseconds from the watch's start to the socket closing. */
  closed: Promise<number>;
  isOpen(): boolean;
  /** Everything the server sent, as text. */
  received(): string;
}

/** Watches a socket from now on: when it closes, and what arrives on it. Errors count as closing. */
export function watch(socket: net.Socket, from = performance.now()): Watched {
  let open = !socket.destroyed;
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => {
    if (!open) resolve(performance.now() - from);
    socket.once('close', () => {
      open = false;
      resolve(performance.now() - from);
    });
  });
  return { closed, isOpen: () => open, received: () => text };
}

/** Writes `parts` one by one, `everyMs` apart, until they run out or the socket closes. */
export async function trickle(socket: net.Socket, parts: readonly string[], everyMs: number) {
  for (const part of parts) {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(part);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A POST request head for the API, with keep-alive. */
export function postHead(bodyLength: number): string {
  return (
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${bodyLength}\r\nConnection: keep-alive\r\n\r\n`
  );
}
