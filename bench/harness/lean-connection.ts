import tls from 'node:tls';
import type { ActionInput, ActionName } from '../../src-shared/protocol';
import { nextSourceAddress, type CallResult, type Endpoint } from './client';

interface Pending {
  resolve: (result: CallResult) => void;
  reject: (error: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * `keep-alive`: one connection for every call, as our own client holds one. `fresh`: a new TLS
 * connection for each call, no session resumption, `Connection: close`, as the stock client's
 * urllib2 does. `resumed`: like `fresh`, but each handshake resumes the previous connection's TLS
 * session, as a client that offers resumption would.
 */
export type ConnectionStyle = 'keep-alive' | 'fresh' | 'resumed';

/**
 * One keep-alive HTTPS connection speaking just enough HTTP/1.1 for the pollers: a request is
 * written as one buffer and the answer is framed by its Content-Length. node:https's client costs
 * more CPU per request than the server under test; on a 2-core machine that CPU comes out of the
 * server's budget, so the throughput scenarios use this instead. One request at a time, like
 * the stock client; see ConnectionStyle for how connections are opened.
 */
export class LeanConnection {
  private socket: tls.TLSSocket | undefined;
  private pending: Pending | undefined;
  private received: Buffer = Buffer.alloc(0);
  private readonly target: URL;
  private session: Buffer | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly style: ConnectionStyle = 'keep-alive',
  ) {
    this.target = new URL(endpoint.url);
  }

  call<A extends ActionName>(action: A, payload: ActionInput<A>): Promise<CallResult> {
    if (this.pending) return Promise.reject(new Error('one request at a time'));
    const body = JSON.stringify({ action, payload: JSON.stringify(payload) });
    const request = Buffer.from(
      `POST ${this.target.pathname} HTTP/1.1\r\nHost: ${this.target.host}\r\n` +
        (this.style === 'keep-alive' ? '' : 'Connection: close\r\n') +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.connected().write(request);
    });
  }

  /** Ends the connection; a call still waiting for its answer fails (it would wait forever). */
  close(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.socket?.destroy();
    this.socket = undefined;
    pending?.reject(new Error('connection closed'));
  }

  private connected(): tls.TLSSocket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    this.received = Buffer.alloc(0);
    // tls.connect passes net options such as localAddress through; its typings omit them.
    const options: tls.ConnectionOptions & { localAddress: string } = {
      host: this.target.hostname,
      port: Number(this.target.port),
      localAddress: nextSourceAddress(),
      ca: this.endpoint.certificatePem,
      checkServerIdentity: () => undefined,
      ...(this.style === 'resumed' && this.session ? { session: this.session } : {}),
    };
    const socket = tls.connect(options);
    if (this.style === 'resumed')
      socket.on('session', (session: Buffer) => (this.session = session));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      // A socket this connection already let go of (style fresh) fails nobody's call.
      if (this.socket !== socket) return;
      const pending = this.pending;
      this.pending = undefined;
      this.socket = undefined;
      pending?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    const headerEnd = this.received.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.received.subarray(0, headerEnd).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const end = headerEnd + HEADER_END.length + length;
    if (this.received.length < end) return;
    const status = Number(head.slice(9, 12));
    const body = this.received.subarray(headerEnd + HEADER_END.length, end);
    this.received = this.received.subarray(end);
    const pending = this.pending;
    this.pending = undefined;
    // Like urllib2: the answer read, the connection goes (the server closes its side too).
    if (this.style !== 'keep-alive') this.close();
    if (!pending) return;
    if (status !== 200) return pending.resolve({ status, body: undefined });
    try {
      pending.resolve({ status, body: JSON.parse(body.toString('utf8')) as unknown });
    } catch {
      pending.resolve({ status: -1, body: undefined });
    }
  }
}
