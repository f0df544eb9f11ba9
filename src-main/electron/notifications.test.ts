import { describe, expect, it } from 'vitest';
import { DesktopNotifications, type ShownNotification } from './notifications';

function fakes() {
  const made: {
    title: string;
    body: string;
    shown: boolean;
    closed: boolean;
    click?: () => void;
  }[] = [];
  const create = (options: { title: string; body: string }): ShownNotification => {
    const record: (typeof made)[number] = { ...options, shown: false, closed: false };
    made.push(record);
    return {
      show: () => void (record.shown = true),
      close: () => void (record.closed = true),
      on: (_event, listener) => (record.click = listener),
    };
  };
  return { made, create };
}

describe('desktop notifications in main', () => {
  it('closes those about expired messages, then all of them', () => {
    const { made, create } = fakes();
    let focused = 0;
    const notifications = new DesktopNotifications(create, () => focused++);
    notifications.show({ title: 'LocalChat', body: 'New message in your room', ids: [1] });
    notifications.show({ title: 'LocalChat', body: '2 new messages in your room', ids: [2, 3] });
    notifications.show({ title: 'LocalChat', body: 'New message in your room', ids: [4] });
    expect(made.every((n) => n.shown)).toBe(true);
    notifications.closeFor([3]);
    expect(made.map((n) => n.closed)).toEqual([false, true, false]);
    made[0]!.click!();
    expect(focused).toBe(1);
    expect(made[0]!.closed).toBe(true);
    notifications.closeAll();
    expect(made.every((n) => n.closed)).toBe(true);
    expect(notifications.count()).toBe(0);
  });
});
