import { dialog, utilityProcess, type BrowserWindow } from 'electron';
import type { FromServer, SpawnServerProcess } from '../hosting/server-process';

/** The room server's process in the app: an Electron utility process (a Node child of main). */
export const forkUtilityServerProcess: SpawnServerProcess = (entry) => {
  const child = utilityProcess.fork(entry, [], {
    serviceName: 'LocalChat room server',
    stdio: 'inherit',
  });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message) => listener(message as FromServer)),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => {
      child.kill();
    },
  };
};

/** Tells the person hosting that the room server died: its rooms are gone with it. */
export function tellOwnerServerRestarted(
  window: BrowserWindow | null,
  event: { restarted: boolean; reason: string },
): void {
  const options = {
    type: 'warning' as const,
    title: 'Room server',
    message: event.restarted
      ? 'The room server stopped unexpectedly and was started again. Its rooms and messages are gone: start a new room and invite everyone again.'
      : 'The room server stopped unexpectedly and could not start again. Its rooms and messages are gone.',
    detail: event.reason,
    noLink: true,
  };
  void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
}
