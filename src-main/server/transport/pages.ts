import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { COMMON_HEADERS } from './empty-answer';
import { describeFailure } from './failure-report';
import { webClient } from './web';

export interface PagesOptions {
  web: { dir: string; pathPrefix: string };
  log: (line: string) => void;
}

/** Everything but the API: the web client's files under the prefix, an empty 404 elsewhere. */
export function createPages(options: PagesOptions): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);

  app.use((_req, res, next) => {
    res.set(COMMON_HEADERS);
    next();
  });

  app.use(webClient(options.web.dir, options.web.pathPrefix));

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

function empty(res: Response, status: number): void {
  if (!res.headersSent) res.status(status).end();
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}
