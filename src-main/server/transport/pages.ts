import type { RequestListener } from 'node:http';
import { answerEmpty } from './empty-answer';
import { describeFailure } from './failure-report';
import { resolveWebTarget, sendWebFile } from './web';
import { WebFiles } from './web-files';

export interface PagesOptions {
  web: { dir: string; pathPrefix: string };
  log: (line: string) => void;
}

/**
 * Everything but the API: the web client's files under the prefix (GET and HEAD only), an empty
 * 404 elsewhere. The files are listed now, so a directory that cannot be read fails the start.
 */
export function createPages(options: PagesOptions): RequestListener {
  const files = WebFiles.list(options.web.dir);
  const prefix = options.web.pathPrefix;
  return (req, res) => {
    const target =
      req.method === 'GET' || req.method === 'HEAD'
        ? resolveWebTarget(req.url, prefix, files)
        : undefined;
    if (!target) return answerEmpty(res, 404);
    if (target.kind === 'redirect') return answerEmpty(res, 308, { Location: target.location });
    sendWebFile(req, res, files, target.key).catch((error: unknown) => {
      // A listed file that can no longer be read is as good as absent; anything else is a bug.
      if ((error as { code?: unknown }).code !== 'ENOENT') options.log(describeFailure(error));
      answerEmpty(res, (error as { code?: unknown }).code === 'ENOENT' ? 404 : 500);
    });
  };
}
