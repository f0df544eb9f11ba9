import https from 'node:https';
import type { ActionInput, ActionName } from '../../src-shared/protocol';

/** Where the server under test listens, and the certificate to pin. */
export interface Endpoint {
  url: string;
  certificatePem: string;
}

export interface CallResult {
  status: number;
  /** Parsed JSON body of a 200 answer; undefined for any other status. */
  body: unknown;
}

export interface ConnectionOptions {
  /** Sockets this client may open; 1 models one chat client holding one keep-alive connection. */
  maxSockets?: number;
  /** Send the payload as a JSON string, as the stock client does, rather than as an object. */
  payloadAsString?: boolean;
  timeoutMs?: number;
}

/**
 * Source addresses for Connections, one per Connection, round-robin over 127.0.0.2..127.0.0.250
 * (Linux routes all of 127/8 to lo). The server caps open connections per remote address, as a
 * LAN has one address per participant's machine; a bench models hundreds of participants from
 * one process, so each must look like its own machine.
 */
const FIRST_SOURCE_HOST = 2;
const LAST_SOURCE_HOST = 250;
let nextSourceHost = FIRST_SOURCE_HOST;

export function nextSourceAddress(): string {
  const host = nextSourceHost;
  nextSourceHost = host === LAST_SOURCE_HOST ? FIRST_SOURCE_HOST : host + 1;
  return `127.0.0.${host}`;
}

/**
 * One chat client's HTTPS connection: keep-alive, pinned to the server's self-signed certificate
 * (host name not checked: the bench only ever talks to 127.0.0.1).
 */
export class Connection {
  private readonly agent: https.Agent;
  private readonly target: URL;
  private readonly payloadAsString: boolean;
  private readonly timeoutMs: number;

  constructor(endpoint: Endpoint, options: ConnectionOptions = {}) {
    this.target = new URL(endpoint.url);
    if (this.target.hostname !== '127.0.0.1')
      throw new Error(`bench only talks to 127.0.0.1, not ${this.target.hostname}`);
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 1,
      // Round-robin over the pool: with LIFO, spare sockets idle past the server's 5 s keep-alive
      // and a request can race the server closing one (ECONNRESET).
      scheduling: 'fifo',
      ca: endpoint.certificatePem,
      checkServerIdentity: () => undefined,
      localAddress: nextSourceAddress(),
    });
    this.payloadAsString = options.payloadAsString ?? true;
    this.timeoutMs = options.timeoutMs ?? 40_000;
  }

  /** Resolves with any HTTP answer; rejects only when the connection fails or times out. */
  call<A extends ActionName>(action: A, payload: ActionInput<A>): Promise<CallResult> {
    const body = JSON.stringify({
      action,
      payload: this.payloadAsString ? JSON.stringify(payload) : payload,
    });
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status !== 200) return resolve({ status, body: undefined });
            try {
              resolve({
                status,
                body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
              });
            } catch {
              resolve({ status: -1, body: undefined });
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${action} timed out after ${this.timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Like call, but a non-200 or non-JSON answer is an error. */
  async expectOk<A extends ActionName>(
    action: A,
    payload: ActionInput<A>,
  ): Promise<Record<string, unknown>> {
    const { status, body } = await this.call(action, payload);
    if (status !== 200 || typeof body !== 'object' || body === null)
      throw new Error(`${action} answered HTTP ${status}`);
    return body as Record<string, unknown>;
  }

  close(): void {
    this.agent.destroy();
  }
}
