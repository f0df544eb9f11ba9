import type { RequestListener } from 'node:http';
import type { RoomService } from '../rooms/room-service';
import { createApiHandler } from './api-handler';
import { answerEmpty } from './empty-answer';

export interface AppOptions {
  service: RoomService;
  /** Answers everything but POST (the web client, see pages.ts); without it, an empty 404. */
  pages?: RequestListener;
  log: (line: string) => void;
}

/** The HTTP surface: POST on any path is the API (`{"action","payload"}`), the rest is `pages`. */
export function createApp(options: AppOptions): RequestListener {
  const api = createApiHandler(options);
  const pages = options.pages ?? notFound;
  return (req, res) => (req.method === 'POST' ? api(req, res) : pages(req, res));
}

const notFound: RequestListener = (_req, res) => answerEmpty(res, 404);
