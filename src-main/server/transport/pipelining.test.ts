import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { oneRequestPerConnection } from './pipelining';

interface FakeResponse {
  writableEnded: boolean;
  destroyed: boolean;
  headersSent: boolean;
  status?: number;
  writeHead(status: number): FakeResponse;
  end(): void;
  once(): void;
}

function fakeResponse(): FakeResponse {
  return {
    writableEnded: false,
    destroyed: false,
    headersSent: false,
    writeHead(status) {
      this.status = status;
      return this;
    },
    end() {
      this.writableEnded = true;
    },
    once() {},
  };
}

describe('one request per connection', () => {
  it("takes a request as pipelined while the earlier answer is unended, not once it is ended (before its write's 'close')", () => {
    const served: FakeResponse[] = [];
    const listener = oneRequestPerConnection((_req, res) =>
      served.push(res as unknown as FakeResponse),
    );
    const socket = {};
    const send = () => {
      const res = fakeResponse();
      listener({ socket } as IncomingMessage, res as unknown as ServerResponse);
      return res;
    };
    const first = send();
    const pipelined = send();
    expect(served).toEqual([first]);
    expect(pipelined.status).toBe(503);

    const other = {};
    const elsewhere = fakeResponse();
    listener({ socket: other } as IncomingMessage, elsewhere as unknown as ServerResponse);
    // Ended, its TLS write not yet done: the client may already have sent the next request.
    elsewhere.writableEnded = true;
    const next = fakeResponse();
    listener({ socket: other } as IncomingMessage, next as unknown as ServerResponse);
    expect(served).toEqual([first, elsewhere, next]);
    expect(next.status).toBeUndefined();
  });
});
