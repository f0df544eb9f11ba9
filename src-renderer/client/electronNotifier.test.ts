import { describe, expect, it } from 'vitest';
import type { LocalChatBridge } from '../../src-shared/ipc/contract';
import { createElectronNotifier } from './electronNotifier';
import type { Notifier } from './notifier';

describe('desktop app notifier', () => {
  it('shows and closes notifications through main, only with permission', async () => {
    const calls: unknown[][] = [];
    const bridge = {
      invoke: async (...args: unknown[]) => void calls.push(args),
    } as unknown as LocalChatBridge;
    let permission: 'granted' | 'default' = 'default';
    const page = { permission: () => permission, request: async () => permission } as Notifier;
    const notifier = createElectronNotifier(bridge, page);
    notifier.notify('LocalChat', 'New message in your room', [7]);
    expect(calls).toEqual([]);
    permission = 'granted';
    notifier.notify('LocalChat', 'New message in your room', [7]);
    notifier.closeFor([7]);
    notifier.closeAll();
    expect(calls).toEqual([
      ['notifications:show', { title: 'LocalChat', body: 'New message in your room', ids: [7] }],
      ['notifications:close', [7]],
      ['notifications:close-all'],
    ]);
  });
});
