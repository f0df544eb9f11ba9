import { describe, expect, it } from 'vitest';
import type { ServerReply } from '../../src-shared/ipc/contract';
import { ApiError, createApi } from './api';
import type { Transport } from './transport';

function transportReplying(reply: ServerReply): Transport & { sent: unknown[] } {
  const sent: unknown[] = [];
  return {
    server: { url: 'https://chat.test' },
    sent,
    async send(action, payload) {
      sent.push({ action, payload });
      return reply;
    },
  };
}

const session = { roomName: 'r', user: 'u', sesskey: 'r-key' };

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('createApi', () => {
  it('returns the validated answer and sends the payload as given', async () => {
    const t = transportReplying({
      kind: 'response',
      status: 200,
      body: { status: 'unchanged', last: 4 },
      fingerprint: 'AB',
    });
    const api = createApi(t);
    await expect(api.call('pollMsg', { ...session, mylast: 4 })).resolves.toEqual({
      status: 'unchanged',
      last: 4,
    });
    expect(t.sent).toEqual([{ action: 'pollMsg', payload: { ...session, mylast: 4 } }]);
    expect(api.fingerprint).toBe('AB');
  });

  it('classifies status codes', async () => {
    for (const [status, kind] of [
      [400, 'bad-request'],
      [403, 'forbidden'],
      [503, 'server-busy'],
      [429, 'locked-out'],
      [500, 'server-error'],
      [502, 'server-error'],
    ] as const) {
      const api = createApi(
        transportReplying({ kind: 'response', status, body: null, fingerprint: '' }),
      );
      expect((await failure(api.call('leaveRoom', session))).kind).toBe(kind);
    }
  });

  it('words a 503 (the server holds as many messages as it may) as a retry later', async () => {
    const api = createApi(
      transportReplying({ kind: 'response', status: 503, body: null, fingerprint: '' }),
    );
    const error = await failure(api.call('sendMsg', { ...session, msg: 'QUJD' }));
    expect(error).toMatchObject({ kind: 'server-busy', status: 503, transient: true });
    expect(error.message).toBe('The server is busy or full; try again later');
  });

  it('carries the Retry-After of a 429 or 503 to the caller', async () => {
    for (const status of [429, 503]) {
      const api = createApi(
        transportReplying({
          kind: 'response',
          status,
          body: null,
          fingerprint: '',
          retryAfter: 42,
        }),
      );
      const error = await failure(
        api.call('joinRoom', { roomName: 'r', user: 'u', userpass: 'p' }),
      );
      expect(error).toMatchObject({ status, retryAfterSeconds: 42 });
    }
  });

  it('treats a malformed answer as an error, not a crash', async () => {
    const api = createApi(
      transportReplying({
        kind: 'response',
        status: 200,
        body: { status: 'updated', messages: [[1, 'x']] },
        fingerprint: '',
      }),
    );
    const error = await failure(api.call('pollMsg', { ...session, mylast: 0 }));
    expect(error.kind).toBe('malformed');
    expect(error.transient).toBe(true);
  });

  it('refuses message ids a hostile server made too large to order our own lines between', async () => {
    for (const id of [2 ** 31, 2 ** 53 - 1, -1]) {
      const poll = createApi(
        transportReplying({
          kind: 'response',
          status: 200,
          body: { status: 'updated', messages: [[id, 'x', 1, 'alice', '0']] },
          fingerprint: '',
        }),
      );
      expect((await failure(poll.call('pollMsg', { ...session, mylast: 0 }))).kind).toBe(
        'malformed',
      );
      const send = createApi(
        transportReplying({
          kind: 'response',
          status: 200,
          body: { status: 'ok', msgid: id, last: 1 },
          fingerprint: '',
        }),
      );
      expect((await failure(send.call('sendMsg', { ...session, msg: 'x' }))).kind).toBe(
        'malformed',
      );
    }
    const fine = createApi(
      transportReplying({
        kind: 'response',
        status: 200,
        body: { status: 'updated', messages: [[2 ** 31 - 1, 'x', 1, 'alice', '0']] },
        fingerprint: '',
      }),
    );
    await expect(fine.call('pollMsg', { ...session, mylast: 0 })).resolves.toMatchObject({
      status: 'updated',
    });
  });

  it('reports unreachable servers and certificate mismatches', async () => {
    const down = createApi(transportReplying({ kind: 'unreachable', message: 'ECONNREFUSED' }));
    expect((await failure(down.call('serverInfo', {}))).kind).toBe('unreachable');
    const spoofed = createApi(
      transportReplying({ kind: 'certificate-mismatch', expected: 'AA:BB', actual: 'CC:DD' }),
    );
    const error = await failure(spoofed.call('serverInfo', {}));
    expect(error.kind).toBe('certificate-mismatch');
    expect(error.message).toContain('CC:DD');
  });

  it('refuses an invalid payload before sending it', async () => {
    const t = transportReplying({
      kind: 'response',
      status: 200,
      body: { status: 'ok' },
      fingerprint: '',
    });
    const error = await failure(
      createApi(t).call('joinRoom', { roomName: 'r', user: 'x'.repeat(40), userpass: 'p' }),
    );
    expect(error.kind).toBe('invalid-input');
    expect(error.message).toBe('User name must be at most 32 characters');
    expect(t.sent).toEqual([]);
  });
});
