import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS } from '../../../src-shared/protocol';
import { ActionError } from '../rooms/action-error';
import type { RequestContext, RoomService } from '../rooms/room-service';
import { EncodedJson } from '../store/encoded-json';
import { validateRequest } from '../validation/validate-request';
import { readBody, refuseUnread } from './body-limit';
import { answerEmpty, COMMON_HEADERS } from './empty-answer';
import { parseEnvelope } from './envelope';
import { ActionFailure, describeFailure } from './failure-report';
import { crossSiteRefusal } from './origin-check';

export interface ApiHandlerOptions {
  service: RoomService;
  log: (line: string) => void;
}

const COMMON_HEADER_LIST = Object.entries(COMMON_HEADERS).flat();

/**
 * The API: a POST on any path carrying `{"action","payload"}`. Plain node:http rather than an
 * Express route, because every poller hits it once a second and the router, body parser and
 * res.json cost more per request than the room service itself (see BENCHMARKS.md).
 */
export function createApiHandler(options: ApiHandlerOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const refusal = crossSiteRefusal(req.headers);
    if (refusal !== undefined) return refuseUnread(req, res, refusal);
    readBody(req, LIMITS.requestBodyBytes).then(
      (body) => {
        if (body === undefined) return refuseUnread(req, res, 413);
        void answer(body, req, res, options);
      },
      () => res.destroy(),
    );
  };
}

async function answer(
  body: Buffer,
  req: IncomingMessage,
  res: ServerResponse,
  options: ApiHandlerOptions,
): Promise<void> {
  const envelope = parseEnvelope(body);
  const request = envelope && validateRequest(envelope.action, envelope.payload);
  if (!request) return answerEmpty(res, 400);
  try {
    const result = await options.service.handle(
      request.action,
      request.payload,
      new ResponseContext(req.socket.remoteAddress ?? '', res),
    );
    if (res.writableEnded || res.destroyed) return;
    // Bytes, encoded once: a string body is scanned for its byte length and again when written,
    // which for a 200-message answer (~100 KB) costs more than reading the rows. A poll's rows
    // come encoded already, in pieces.
    const body = EncodedJson.chunksOf(result);
    let length = 0;
    for (const chunk of body) length += chunk.length;
    // A flat header list: Node copies it as is, where an object is walked key by key.
    res.writeHead(200, [
      'Content-Type',
      'application/json; charset=utf-8',
      'Content-Length',
      String(length),
      ...COMMON_HEADER_LIST,
    ]);
    // The usual one-piece answer goes out as before; pieces go out corked, as one write.
    const last = body.length - 1;
    if (last > 0) res.cork();
    for (let i = 0; i < last; i++) res.write(body[i]);
    res.end(body[last]);
  } catch (error) {
    if (error instanceof ActionError) {
      return answerEmpty(
        res,
        error.status,
        error.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(error.retryAfterSeconds) },
      );
    }
    options.log(describeFailure(new ActionFailure(request.action, error)));
    answerEmpty(res, 500);
  }
}

/**
 * A request's context for the room service. A class, not an object literal with a getter: V8
 * allocates a literal's accessor pair in the old generation, and that garbage kept every
 * request's objects (reached through the getter's closure) alive through young-generation
 * collections until the next full GC: ~2 MB promoted per scavenge at 1,000 polls/s, and
 * scavenge pauses of 5-10 ms instead of ~1 ms (BENCHMARKS.md, "Tails").
 */
class ResponseContext implements RequestContext {
  private signal: AbortSignal | undefined;

  constructor(
    readonly remoteAddress: string,
    private readonly res: ServerResponse,
  ) {}

  /**
   * Fires when the client goes away before its answer. Made on first use: only a held poll needs
   * one, and an AbortController per request costs more than the poll itself spends in SQLite.
   */
  get aborted(): AbortSignal {
    return (this.signal ??= abortSignalOf(this.res));
  }
}

function abortSignalOf(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (res.destroyed) controller.abort();
  else
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
  return controller.signal;
}
