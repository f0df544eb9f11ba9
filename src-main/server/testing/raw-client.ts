import https from 'node:https';
import type { ActionName } from '../../../src-shared/protocol';

/**
 * A byte-level HTTPS client for hostile-input tests: it sends any body (not only valid JSON),
 * can bind a chosen loopback source address, and reports the raw status, headers and body.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as it came, before UTF-8 decoding replaced any invalid bytes. */
  bytes: Buffer;
}

export interface RawOptions {
  agent?: https.Agent;
  /** Source address of the connection; tests only ever use the 127.0.0.0/8 loopback range. */
  localAddress?: string;
  headers?: Record<string, string>;
  path?: string;
}

/** Keep-alive agent that accepts the server's self-signed certificate, like the stock client. */
export function testAgent(
  options: { maxSockets?: number; localAddress?: string } = {},
): https.Agent {
  return new https.Agent({
    keepAlive: true,
    maxSockets: options.maxSockets ?? 16,
    rejectUnauthorized: false,
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
}

export function rawPost(
  url: string,
  body: string | Buffer,
  options: RawOptions = {},
): Promise<RawResponse> {
  return rawRequest(url, 'POST', body, options);
}

/** Any method; `options.path` goes on the wire exactly as given (no URL normalisation of `..`). */
export function rawRequest(
  url: string,
  method: string,
  body: string | Buffer,
  options: RawOptions = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: target.hostname,
        port: target.port,
        path: options.path ?? (target.pathname || '/'),
        method,
        agent: options.agent ?? false,
        rejectUnauthorized: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes.toString('utf8'),
            bytes,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface ApiResponse extends RawResponse {
  /** Parsed body for a 200, undefined otherwise. */
  json: Record<string, unknown> | undefined;
}

/** Sends `{action, payload}` the way the seed does (payload as an object) unless told otherwise. */
export async function api(
  url: string,
  action: ActionName | string,
  payload: unknown,
  options: RawOptions & { payloadAsString?: boolean } = {},
): Promise<ApiResponse> {
  const wire = options.payloadAsString ? JSON.stringify(payload) : payload;
  const res = await rawPost(url, JSON.stringify({ action, payload: wire }), options);
  const json = res.status === 200 ? (JSON.parse(res.body) as Record<string, unknown>) : undefined;
  return { ...res, json };
}

/** GET over a new TLS connection, certificate unchecked: what a browser fetching the page sees. */
export function getPage(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}
