/** Whether this window may show desktop notifications. */
export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** Desktop notifications while the window is unfocused. */
export interface Notifier {
  permission(): NotificationPermissionState;
  /** Asks for permission. Call it only from a user gesture: browsers ignore or punish other asks. */
  request(): Promise<NotificationPermissionState>;
  notify(title: string, body: string): void;
  /** Closes every notification this window showed that is still on screen (burn, wipe). */
  closeAll?(): void;
}

/**
 * The Notification API. Bodies never carry message text: an off-the-record chat must not leave
 * plaintext in the operating system's notification history.
 */
export function createBrowserNotifier(): Notifier {
  const supported = typeof Notification !== 'undefined';
  const permission = (): NotificationPermissionState =>
    supported ? Notification.permission : 'unsupported';
  const shown = new Set<Notification>();
  return {
    permission,
    async request() {
      if (!supported) return 'unsupported';
      if (Notification.permission !== 'default') return Notification.permission;
      return Notification.requestPermission().catch(() => permission());
    },
    notify(title, body) {
      if (permission() !== 'granted') return;
      const notification = new Notification(title, { body, tag: 'localchat', silent: false });
      shown.add(notification);
      notification.onclose = () => shown.delete(notification);
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    },
    closeAll() {
      for (const notification of shown) notification.close();
      shown.clear();
    },
  };
}
