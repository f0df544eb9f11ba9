/** Whether this window may show desktop notifications. */
export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** Desktop notifications while the window is unfocused. */
export interface Notifier {
  permission(): NotificationPermissionState;
  /** Asks for permission. Call it only from a user gesture: browsers ignore or punish other asks. */
  request(): Promise<NotificationPermissionState>;
  /**
   * Shows a notification about the messages `ids`; it is closed when any of them expires
   * (`closeFor`) or when the session ends (`closeAll`).
   */
  notify(title: string, body: string, ids?: readonly number[]): void;
  /** Closes every notification shown about any of these message ids. */
  closeFor(ids: readonly number[]): void;
  /** Closes every notification this window showed: at leave, room close, burn, session end. */
  closeAll(): void;
}

/** The words a notification says unless the member chose to see message text. */
export const PRIVATE_NOTIFICATION = 'New message in your room';

/** What a notifier needs of the Notification API (injected in tests). */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Notification;
}

/**
 * The Notification API. Every notification shown is kept, so it can be taken out of the
 * operating system's notification centre again: a notification must not outlive its message.
 */
export function createBrowserNotifier(
  api: NotificationApi | undefined = typeof Notification === 'undefined' ? undefined : Notification,
  focus: () => void = () => window.focus(),
): Notifier {
  const permission = (): NotificationPermissionState => (api ? api.permission : 'unsupported');
  const shown = new Map<Notification, readonly number[]>();
  const close = (n: Notification) => {
    shown.delete(n);
    n.close();
  };
  return {
    permission,
    async request() {
      if (!api) return 'unsupported';
      if (api.permission !== 'default') return api.permission;
      return api.requestPermission().catch(() => permission());
    },
    notify(title, body, ids = []) {
      if (!api || permission() !== 'granted') return;
      const notification = new api(title, { body, tag: 'localchat', silent: false });
      // Kept even if the system closes it first: closing again is harmless, and the object is
      // the only handle there is to take it out of a notification centre that kept it.
      shown.set(notification, ids);
      notification.onclick = () => {
        focus();
        close(notification);
      };
    },
    closeFor(ids) {
      const gone = new Set(ids);
      for (const [n, about] of [...shown]) if (about.some((id) => gone.has(id))) close(n);
    },
    closeAll() {
      for (const n of [...shown.keys()]) close(n);
    },
  };
}
