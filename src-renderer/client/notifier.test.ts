import { describe, expect, it } from 'vitest';
import { createBrowserNotifier, type NotificationApi } from './notifier';

/** Records every notification made and whether it was closed. */
function fakeApi(permission: NotificationPermission = 'granted') {
  const made: { title: string; body?: string; closed: boolean }[] = [];
  class FakeNotification {
    static permission = permission;
    static requestPermission = async () => permission;
    onclick: (() => void) | null = null;
    onclose: (() => void) | null = null;
    private readonly record: (typeof made)[number];
    constructor(title: string, options?: NotificationOptions) {
      this.record = { title, body: options?.body, closed: false };
      made.push(this.record);
    }
    close() {
      this.record.closed = true;
    }
  }
  return { api: FakeNotification as unknown as NotificationApi, made };
}

describe('browser notifier', () => {
  it('closes the notifications about expired messages, and all of them at the end', () => {
    const { api, made } = fakeApi();
    const notifier = createBrowserNotifier(api, () => {});
    notifier.notify('LocalChat', 'New message in your room', [11]);
    notifier.notify('LocalChat', '2 new messages in your room', [12, 13]);
    notifier.notify('LocalChat', 'New message in your room', [14]);
    notifier.closeFor([13]);
    expect(made.map((n) => n.closed)).toEqual([false, true, false]);
    notifier.closeAll();
    expect(made.every((n) => n.closed)).toBe(true);
  });

  it('shows nothing without permission', () => {
    const { api, made } = fakeApi('denied');
    createBrowserNotifier(api, () => {}).notify('LocalChat', 'x', [1]);
    expect(made).toEqual([]);
  });
});
