import { ipcMain, type WebContents } from 'electron';
import type { EventChannel, InvokeChannel, IpcEvents } from '../../../src-shared/ipc/contract';
import { validatedHandler, type InvokeHandler } from './validated-handler';

/** Registers a channel's handler behind the sender check and the channel's argument schema. */
export function handle<K extends InvokeChannel>(
  channel: K,
  handler: InvokeHandler<K>,
  isTrustedSender: (frameUrl: string) => boolean,
): void {
  ipcMain.handle(channel, validatedHandler(channel, handler, isTrustedSender));
}

export function sendEvent<K extends EventChannel>(
  target: WebContents,
  channel: K,
  payload: IpcEvents[K],
): void {
  if (!target.isDestroyed()) target.send(channel, payload);
}
