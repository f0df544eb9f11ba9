import type { RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerEmpty } from './empty-answer';

/**
 * Pipelined requests a connection may have refused before it is cut: a few answers are cheap to
 * hold, one per request of a 100,000-request burst is not.
 */
const REFUSALS_BEFORE_CUT = 8;

/**
 * One request in flight per connection. Node parses every pipelined request it reads and runs
 * them all at once (it only orders the answers), so one connection could queue thousands of
 * hashes and hold memory for each. No client of ours pipelines: the stock client opens a
 * connection per call, browsers and Node's agent send one request at a time per connection. A
 * request arriving while an earlier one is unanswered gets an empty 503 with `Retry-After: 1`
 * and the connection closes after it, which a pipelining client answers by retrying on a new one.
 */
export function oneRequestPerConnection(app: RequestListener): RequestListener {
  // A connection is busy until its answer has been ended: 'finish' and 'close' come only once
  // the TLS write completes, a turn of the event loop later, when a fast client may already
  // have sent its next request.
  const answering = new WeakMap<Socket, ServerResponse>();
  const refusals = new WeakMap<Socket, number>();
  const busy = (socket: Socket) => {
    const current = answering.get(socket);
    return current !== undefined && !current.writableEnded && !current.destroyed;
  };
  return (req, res) => {
    const socket = req.socket;
    const refused = refusals.get(socket);
    if (busy(socket) || refused !== undefined) {
      const count = (refused ?? 0) + 1;
      refusals.set(socket, count);
      if (count > REFUSALS_BEFORE_CUT) {
        socket.destroy();
        return;
      }
      answerEmpty(res, 503, { 'Retry-After': '1', Connection: 'close' });
      return;
    }
    answering.set(socket, res);
    // Not held past its end: a keep-alive connection's previous answer would survive into V8's
    // old generation and cost a major GC.
    res.once('close', () => {
      if (answering.get(socket) === res) answering.delete(socket);
    });
    app(req, res);
  };
}
