/** Desktop notifications while the window is unfocused. */
export interface Notifier {
  /** Asks for permission; call from a user gesture (the Join button). */
  prepare(): void;
  notify(title: string, body: string): void;
}

/**
 * The Notification API. Bodies never carry message text: an off-the-record chat must not leave
 * plaintext in the operating system's notification history.
 */
export function createBrowserNotifier(): Notifier {
  const supported = typeof Notification !== 'undefined';
  return {
    prepare() {
      if (supported && Notification.permission === 'default') void Notification.requestPermission().catch(() => {});
    },
    notify(title, body) {
      if (!supported || Notification.permission !== 'granted') return;
      const notification = new Notification(title, { body, tag: 'localchat', silent: false });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    },
  };
}
