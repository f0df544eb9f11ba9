import { randomUUID } from 'node:crypto';
import packageJson from '../../../package.json' with { type: 'json' };

/** What serverInfo announces. */
export const SERVER_NAME = 'localchat-desktop';
export const SERVER_VERSION: string = packageJson.version;

/** A new one each time a server starts (serverInfo's `instance`). */
export function newServerInstance(): string {
  return randomUUID();
}
