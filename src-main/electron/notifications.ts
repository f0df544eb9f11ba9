import type { DesktopNotification } from '../../src-shared/ipc/contract';

/** What main needs of one shown notification (Electron's Notification, or a test's fake). */
export interface ShownNotification {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
}

export type NotificationFactory = (options: {
  title: string;
  body: string;
  silent: boolean;
}) => ShownNotification;

/**
 * Every notification the app showed, kept so it can be taken out of the operating system's
 * notification centre again: when its message expires, when the session ends, when the window
 * reloads or closes, and at quit.
 */
export class DesktopNotifications {
  private readonly shown = new Map<ShownNotification, readonly number[]>();

  constructor(
    private readonly create: NotificationFactory,
    private readonly onClick: () => void,
  ) {}

  show(n: DesktopNotification): void {
    const notification = this.create({ title: n.title, body: n.body, silent: false });
    this.shown.set(notification, n.ids);
    notification.on('click', () => {
      this.onClick();
      this.close(notification);
    });
    notification.show();
  }

  closeFor(ids: readonly number[]): void {
    const gone = new Set(ids);
    for (const [n, about] of [...this.shown]) if (about.some((id) => gone.has(id))) this.close(n);
  }

  closeAll(): void {
    for (const n of [...this.shown.keys()]) this.close(n);
  }

  count(): number {
    return this.shown.size;
  }

  private close(n: ShownNotification): void {
    this.shown.delete(n);
    n.close();
  }
}
