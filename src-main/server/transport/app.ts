import express, { type NextFunction, type Request, type Response } from 'express';
import { LIMITS } from '../../../src-shared/protocol';
import { ActionError } from '../rooms/action-error';
import type { RoomService } from '../rooms/room-service';
import { validateRequest } from '../validation/validate-request';
import { parseEnvelope } from './envelope';
import { webClient } from './web';

export interface AppOptions {
  service: RoomService;
  web?: { dir: string; pathPrefix: string };
  log: (line: string) => void;
}

/** Answers with a status and nothing else: refusals must not leak anything about rooms. */
function empty(res: Response, status: number): void {
  if (!res.headersSent) res.status(status).end();
}

/**
 * The HTTP surface: POST on any path is the API (`{"action","payload"}`), GET serves the web
 * client when enabled, anything else is an empty 404.
 */
export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  if (options.web) app.use(webClient(options.web.dir, options.web.pathPrefix));

  app.post(
    /.*/,
    express.raw({ type: () => true, limit: LIMITS.requestBodyBytes }),
    async (req: Request, res: Response, next: NextFunction) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const envelope = parseEnvelope(body);
      const request = envelope && validateRequest(envelope.action, envelope.payload);
      if (!request) return empty(res, 400);
      const aborted = new AbortController();
      res.on('close', () => aborted.abort());
      try {
        const answer = await options.service.handle(request.action, request.payload, {
          remoteAddress: req.socket.remoteAddress ?? '',
          aborted: aborted.signal,
        });
        if (!res.writableEnded && !res.destroyed) res.status(200).json(answer);
      } catch (error) {
        if (error instanceof ActionError) {
          if (error.retryAfterSeconds !== undefined)
            res.setHeader('Retry-After', String(error.retryAfterSeconds));
          return empty(res, error.status);
        }
        next(new ActionFailure(request.action, error));
      }
    },
  );

  app.use((_req: Request, res: Response) => empty(res, 404));

  // Express calls an error handler only if it declares four parameters.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status !== undefined && status >= 400 && status < 500) return empty(res, 400);
    options.log(describeFailure(error));
    empty(res, 500);
  });

  return app;
}

/** Wraps an unexpected error with the action it broke, so the log says where without the payload. */
class ActionFailure extends Error {
  constructor(
    readonly action: string,
    readonly original: unknown,
  ) {
    super(`action ${action} failed`);
    this.name = 'ActionFailure';
  }
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Error name and stack frames only: a message could quote the payload. */
function describeFailure(error: unknown): string {
  const where = error instanceof ActionFailure ? ` in ${error.action}` : '';
  const original = error instanceof ActionFailure ? error.original : error;
  const name = original instanceof Error ? original.name : typeof original;
  const frames =
    original instanceof Error && original.stack
      ? original.stack
          .split('\n')
          .filter((line) => line.trimStart().startsWith('at '))
          .slice(0, 5)
          .map((line) => line.trim())
          .join(' | ')
      : '';
  return `request failed${where}: ${name}${frames ? ` (${frames})` : ''}`;
}
