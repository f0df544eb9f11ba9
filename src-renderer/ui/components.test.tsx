// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Cipher } from '../client/cipher';
import type { Host } from '../client/transport';
import { StoreProvider } from '../state/context';
import { createChatStore, type ChatStore, type RoomLine, type Session } from '../state/store';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { StartScreen } from './StartScreen';

/** The message list, the composer and the start screen, rendered against the real store. */

afterEach(cleanup);

const host: Host = {
  kind: 'browser',
  localServer: () => Promise.resolve(undefined),
  connect: () => {
    throw new Error('no server in component tests');
  },
};
const cipher: Cipher = {
  reset() {},
  encrypt: () => Promise.reject(new Error('not used')),
  decrypt: () => Promise.reject(new Error('not used')),
};

function renderWith(
  ui: React.ReactElement,
  state: Partial<ReturnType<ChatStore['getState']>> = {},
) {
  const store = createChatStore({ host, cipher, generatePassword: () => 'PASSWORD00000000' });
  store.setState(state);
  render(
    <StoreProvider store={store} host={host}>
      {ui}
    </StoreProvider>,
  );
  return store;
}

const session = { user: 'me', room: 'kitchen' } as Session;
const T = Date.UTC(2026, 0, 5, 12, 0);
const say = (id: number, from: string, text: string, extra: Partial<RoomLine> = {}): RoomLine =>
  ({ kind: 'say', id, time: T + id * 1000, from, text, ...extra }) as RoomLine;

describe('MessageList', () => {
  it('names a sender once for a run of their messages', () => {
    renderWith(<MessageList />, {
      session,
      lines: [say(1, 'amy', 'one'), say(2, 'amy', 'two'), say(3, 'bob', 'three')],
    });
    const items = screen.getAllByRole('listitem').filter((li) => li.dataset.kind === 'say');
    expect(items.map((li) => li.classList.contains('grouped'))).toEqual([false, true, false]);
  });

  it('folds a long message behind Show more, and unfolds it', () => {
    const long = 'x'.repeat(2_000);
    renderWith(<MessageList />, { session, lines: [say(1, 'amy', long)] });
    const more = screen.getByRole('button', { name: /Show more \(2,000 characters\)/ });
    const text = () => document.querySelector('bdi.text')!.textContent;
    expect(text()).toBe(`${'x'.repeat(600)}…`);
    fireEvent.click(more);
    expect(screen.getByRole('button', { name: 'Show less' })).toBeTruthy();
    expect(text()).toBe(long);
  });

  it('offers Retry on a failed message of ours, for that message', () => {
    const retry = vi.fn(() => Promise.resolve());
    renderWith(<MessageList />, {
      session,
      retry,
      lines: [say(7, 'me', 'hello', { delivery: { state: 'failed', reason: 'server full' } })],
    });
    expect(screen.getByText('Failed: server full')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledWith(7);
  });

  it('marks where the reader left off when others wrote in the meantime', () => {
    const store = renderWith(<MessageList />, {
      session,
      focused: true,
      lines: [say(1, 'amy', 'hi')],
    });
    act(() => store.setState({ focused: false }));
    act(() =>
      store.setState({ lines: [say(1, 'amy', 'hi'), say(2, 'me', 'mine'), say(3, 'bob', 'news')] }),
    );
    const kinds = screen.getAllByRole('listitem').map((li) => li.dataset.kind ?? li.className);
    expect(kinds.filter((k) => k !== 'day')).toEqual(['say', 'say', 'unread', 'say']);
  });
});

describe('Composer', () => {
  it('sends on Enter and empties the box; Shift+Enter does not send', () => {
    const submit = vi.fn(() => Promise.resolve());
    renderWith(<Composer />, { session, submit });
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'hello there' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(submit).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(submit).toHaveBeenCalledWith('hello there');
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it('refuses a message too long to send, keeping the text to shorten', () => {
    const submit = vi.fn(() => Promise.resolve());
    renderWith(<Composer />, { session, submit });
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'y'.repeat(60_000) } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(submit).not.toHaveBeenCalled();
    expect(screen.getByText(/Too long to send/)).toBeTruthy();
    expect((box as HTMLTextAreaElement).value).toHaveLength(60_000);
  });

  it('walks the history with Up', () => {
    renderWith(<Composer />, { session, history: ['first', 'second'] });
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect((box as HTMLTextAreaElement).value).toBe('second');
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect((box as HTMLTextAreaElement).value).toBe('first');
  });
});

describe('StartScreen', () => {
  it('starts a room with the names typed', () => {
    const createRoom = vi.fn(() => Promise.resolve());
    renderWith(<StartScreen />, { createRoom });
    const form = screen.getByRole('form', { name: 'Start a room' });
    const field = (label: string) => within(form).getByLabelText(label);
    fireEvent.change(field('Room name'), { target: { value: 'kitchen ' } });
    fireEvent.change(field('Your name'), { target: { value: 'ana' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Start a room' }));
    expect(createRoom).toHaveBeenCalledWith({ room: 'kitchen', user: 'ana', admission: true });
  });

  it('explains an invite it cannot read instead of joining', () => {
    const join = vi.fn(() => Promise.resolve());
    renderWith(<StartScreen />, { join });
    const form = screen.getByRole('form', { name: 'Join with an invite' });
    fireEvent.change(within(form).getByLabelText('Invite'), { target: { value: 'not an invite' } });
    fireEvent.submit(form);
    expect(join).not.toHaveBeenCalled();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).not.toBe('');
    expect(document.activeElement).toBe(alert);
  });
});
