import type { InvokeArgs, InvokeChannel, InvokeResult } from '../../../src-shared/ipc/contract';
import { invokeArgSchemas } from '../../../src-shared/ipc/schemas';

export type InvokeHandler<K extends InvokeChannel> = (
  ...args: InvokeArgs<K>
) => Promise<InvokeResult<K>>;

/** The part of Electron's IpcMainInvokeEvent the checks need. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

export class IpcRejectedError extends Error {}

/**
 * Wraps a channel's handler so it runs only for calls from the app's own page, with arguments that
 * pass the channel's zod schema; anything else is refused before the handler sees it.
 */
export function validatedHandler<K extends InvokeChannel>(
  channel: K,
  handler: InvokeHandler<K>,
  isTrustedSender: (frameUrl: string) => boolean,
): (event: InvokeEventLike, ...args: unknown[]) => Promise<InvokeResult<K>> {
  const schema = invokeArgSchemas[channel];
  return async (event, ...args): Promise<InvokeResult<K>> => {
    const frameUrl = event.senderFrame?.url;
    if (frameUrl === undefined || !isTrustedSender(frameUrl)) {
      throw new IpcRejectedError(`${channel}: refused, the caller is not the LocalChat page`);
    }
    const parsed = schema.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw new IpcRejectedError(
        `${channel}: invalid arguments (${where}${issue?.message ?? 'malformed'})`,
      );
    }
    // The schema map is typed per channel, but TypeScript cannot follow K through the lookup.
    return handler(...(parsed.data as InvokeArgs<K>));
  };
}
