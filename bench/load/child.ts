/**
 * The load generator's process: runs one job at a time for the parent, so the load it makes
 * never shares an event loop with the server or with the bench's bookkeeping.
 */
import { loadJobs, type LoadReply, type LoadRequest } from './jobs';

process.on('message', (request: LoadRequest) => {
  const job = loadJobs[request.job] as (params: unknown) => Promise<unknown>;
  job(request.params).then(
    (result) => process.send?.({ type: 'result', result } satisfies LoadReply),
    (error: unknown) =>
      process.send?.({
        type: 'failed',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies LoadReply),
  );
});
