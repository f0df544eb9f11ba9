import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Pending = [IncomingMessage, ServerResponse];

/**
 * Answers requests one per turn of the event loop, a connection's first request before those of
 * connections already answered once.
 *
 * Node reads every socket that epoll reports ready in one go and, unless told otherwise,
 * answers each request as it is read. With 200 busy keep-alive pollers one such round takes
 * ~35 ms, and a new connection needs several rounds (accept, each TLS flight, the request)
 * before its answer: ~200 ms at the median (BENCHMARKS.md). Deferring the answers to one per
 * turn keeps each round short, so accepting and handshaking (done as sockets are read) get a
 * turn between any two answers, and the first request of a connection (a stock client's every
 * call, a browser's first) goes ahead of the established connections' queue. Throughput is the
 * same: the loop only turns more often (one extra epoll_wait per answer, a few µs).
 */
export function answerInTurns(app: RequestListener): RequestListener {
  const newcomers: Pending[] = [];
  const regulars: Pending[] = [];
  const answeredBefore = new WeakSet<Socket>();
  let scheduled = false;
  const turn = () => {
    const next = newcomers.shift() ?? regulars.shift();
    if (next) app(next[0], next[1]);
    if (newcomers.length > 0 || regulars.length > 0) setImmediate(turn);
    else scheduled = false;
  };
  return (req, res) => {
    const socket = req.socket;
    if (answeredBefore.has(socket)) regulars.push([req, res]);
    else {
      answeredBefore.add(socket);
      newcomers.push([req, res]);
    }
    if (!scheduled) {
      scheduled = true;
      setImmediate(turn);
    }
  };
}
