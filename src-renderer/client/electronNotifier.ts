import type { LocalChatBridge } from '../../src-shared/ipc/contract';
import type { Notifier } from './notifier';

/**
 * In the desktop app main shows the notifications and keeps them, so it can close them even
 * when the page cannot (a reload, a crash, quitting); permission stays the page's, which main's
 * permission handler grants to the app's own origin.
 */
export function createElectronNotifier(bridge: LocalChatBridge, page: Notifier): Notifier {
  const send = (call: Promise<unknown>) => void call.catch(() => undefined);
  return {
    permission: () => page.permission(),
    request: () => page.request(),
    notify(title, body, ids = []) {
      if (page.permission() !== 'granted') return;
      send(bridge.invoke('notifications:show', { title, body, ids: [...ids] }));
    },
    closeFor(ids) {
      send(bridge.invoke('notifications:close', [...ids]));
    },
    closeAll() {
      send(bridge.invoke('notifications:close-all'));
    },
  };
}
