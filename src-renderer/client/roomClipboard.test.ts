import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { realClock } from './poller';
import { CLIPBOARD_HOLD_MS, RoomClipboard, type ClipboardAccess } from './roomClipboard';

/** A system clipboard that other programs may also write to. */
function fakeClipboard() {
  const board = { text: 'before', clears: 0 };
  const access: ClipboardAccess = {
    write: async (text) => void (board.text = text),
    clearIf: async (text) => {
      if (board.text !== text) return;
      board.text = '';
      board.clears++;
    },
  };
  return { board, access };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RoomClipboard', () => {
  it('clears copied room text after 30 s, not before', async () => {
    const { board, access } = fakeClipboard();
    const clipboard = new RoomClipboard(access, realClock);
    expect(await clipboard.copy('secret line')).toBe(true);
    expect(board.text).toBe('secret line');
    await vi.advanceTimersByTimeAsync(CLIPBOARD_HOLD_MS - 1);
    expect(board.text).toBe('secret line');
    await vi.advanceTimersByTimeAsync(1);
    expect(board.text).toBe('');
    expect(clipboard.holding).toBe(false);
  });

  it('leaves alone what someone copied since', async () => {
    const { board, access } = fakeClipboard();
    const clipboard = new RoomClipboard(access, realClock);
    await clipboard.copy('secret line');
    board.text = 'a shopping list';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_HOLD_MS);
    expect(board.text).toBe('a shopping list');
  });

  it('a new copy restarts the 30 s; clear() empties it at once and stops the timer', async () => {
    const { board, access } = fakeClipboard();
    const clipboard = new RoomClipboard(access, realClock);
    await clipboard.copy('one');
    await vi.advanceTimersByTimeAsync(20_000);
    clipboard.noteCopied('two');
    board.text = 'two';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(board.text).toBe('two');
    await clipboard.clear();
    expect(board.text).toBe('');
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_HOLD_MS);
    expect(board.clears).toBe(1);
  });

  it('reports a refused copy and holds nothing; no clipboard at all is a refusal', async () => {
    const clipboard = new RoomClipboard(
      { write: () => Promise.reject(new Error('not focused')), clearIf: async () => {} },
      realClock,
    );
    expect(await clipboard.copy('x')).toBe(false);
    expect(clipboard.holding).toBe(false);
    expect(await new RoomClipboard(undefined, realClock).copy('x')).toBe(false);
  });
});
