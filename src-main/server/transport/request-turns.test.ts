import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answerInTurns } from './request-turns';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function requestOn(socket: object, name: string): [IncomingMessage, ServerResponse] {
  return [{ socket, name } as unknown as IncomingMessage, {} as ServerResponse];
}

describe('answering in turns', () => {
  it("answers one request per turn of the event loop, a connection's first ahead of the others", async () => {
    const answered: string[] = [];
    const listener = answerInTurns((req) =>
      answered.push((req as unknown as { name: string }).name),
    );
    const [a, b, c]: [Socket, Socket, Socket] = [{} as Socket, {} as Socket, {} as Socket];
    listener(...requestOn(a, 'a1'));
    listener(...requestOn(b, 'b1'));
    expect(answered).toEqual([]);
    await turn();
    await turn();
    expect(answered).toEqual(['a1', 'b1']);

    listener(...requestOn(a, 'a2'));
    listener(...requestOn(b, 'b2'));
    listener(...requestOn(c, 'c1'));
    await turn();
    expect(answered).toEqual(['a1', 'b1', 'c1']);
    await turn();
    expect(answered).toEqual(['a1', 'b1', 'c1', 'a2']);
    await turn();
    expect(answered).toEqual(['a1', 'b1', 'c1', 'a2', 'b2']);
  });
});
