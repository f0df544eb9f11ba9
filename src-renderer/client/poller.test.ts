import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActionResponse, MessageRow } from '../../src-shared/protocol';
import { ApiError } from './api';
import { POLL_TIMING, Poller, backoffDelay, type PollEnd } from './poller';

type Answer = ActionResponse<'pollMsg'> | ApiError;

function setup(longPoll: boolean, answer: (mylast: number, call: number) => Answer) {
  const calls: { mylast: number; wait: number | undefined; at: number }[] = [];
  const delivered: MessageRow[][] = [];
  const ends: PollEnd[] = [];
  const connection: string[] = [];
  const poller = new Poller({
    longPoll,
    poll: async (mylast, wait) => {
      calls.push({ mylast, wait, at: Date.now() });
      const result = answer(mylast, calls.length);
      if (result instanceof ApiError) throw result;
      return result;
    },
    onMessages: (rows) => void delivered.push(rows),
    onEnd: (end) => void ends.push(end),
    onConnection: (state) => void connection.push(state),
  });
  return { poller, calls, delivered, ends, connection };
}

const row = (id: number): MessageRow => [id, 'AAAA', 1_700_000_000, 'alice', '0'];
const unchanged = (last: number): Answer => ({ status: 'unchanged', last });
const down = () => new ApiError('unreachable', 'pollMsg', 'ECONNREFUSED');

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

describe('Poller', () => {
  it('polls once a second without extensions and never sends wait', async () => {
    const { poller, calls } = setup(false, (last) => unchanged(last));
    poller.start(7);
    await vi.advanceTimersByTimeAsync(3_500);
    poller.stop();
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 2000, 3000]);
    expect(calls.every((c) => c.wait === undefined && c.mylast === 7)).toBe(true);
  });

  it('long-polls with wait 25 and re-polls at once after news', async () => {
    const { poller, calls, delivered } = setup(true, (_last, call) =>
      call === 1 ? { status: 'updated', messages: [row(10), row(12)] } : unchanged(12),
    );
    poller.start(5);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ mylast: 5, wait: POLL_TIMING.longPollWaitSeconds });
    expect(calls[1]).toMatchObject({ mylast: 12, at: 0 });
    expect(delivered).toEqual([[row(10), row(12)]]);
    poller.stop();
  });

  it('takes a backlog larger than one answer in back-to-back polls, complete and in order', async () => {
    // As our server caps one answer's bytes: the oldest rows after mylast, a few at a time.
    const backlog = Array.from({ length: 25 }, (_, i) => row(100 + 2 * i));
    const { poller, calls, delivered } = setup(true, (mylast) => {
      const rows = backlog.filter((r) => r[0] > mylast).slice(0, 4);
      return rows.length ? { status: 'updated', messages: rows } : unchanged(mylast);
    });
    poller.start(0);
    // 20 ms in all (fake timers run a 0 ms timer set inside a tick 1 ms later): far less than
    // the 1 s a poll waits after an empty answer.
    for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(1);
    poller.stop();
    expect(delivered.flat()).toEqual(backlog);
    // Seven answers with rows, then one 'unchanged' (held by wait on a real server).
    expect(calls).toHaveLength(8);
    expect(calls.map((c) => c.mylast)).toEqual([0, 106, 114, 122, 130, 138, 146, 148]);
  });

  it('does not spin when a server ignores wait and answers unchanged at once', async () => {
    const { poller, calls } = setup(true, (last) => unchanged(last));
    poller.start(1);
    await vi.advanceTimersByTimeAsync(10_000);
    poller.stop();
    // At most one poll per minimum cycle, however fast the server answers.
    expect(calls.length).toBeLessThanOrEqual(11);
    expect(calls.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(
        POLL_TIMING.minLongPollCycleMs,
      );
    }
  });

  it('ignores rows it already has, so a repeating server cannot make it spin', async () => {
    const { poller, calls, delivered } = setup(true, () => ({
      status: 'updated',
      messages: [row(3)],
    }));
    poller.start(3);
    await vi.advanceTimersByTimeAsync(5_000);
    poller.stop();
    expect(delivered).toEqual([]);
    expect(calls.length).toBeLessThanOrEqual(6);
  });

  it('backs off exponentially while the server is away, then recovers', async () => {
    let failing = true;
    const { poller, calls, connection } = setup(false, (last) =>
      failing ? down() : unchanged(last),
    );
    poller.start(1);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 3000, 7000]);
    expect(connection).toEqual(['reconnecting', 'reconnecting', 'reconnecting', 'reconnecting']);
    failing = false;
    await vi.advanceTimersByTimeAsync(8_000);
    expect(connection.at(-1)).toBe('connected');
    const afterRecovery = calls.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.length).toBe(afterRecovery + 1);
    poller.stop();
  });

  it('retries a long-poll server without wait, so recovery shows at once', async () => {
    const { poller, calls, connection } = setup(true, (last, call) =>
      call <= 2 ? down() : unchanged(last),
    );
    poller.start(1);
    await vi.advanceTimersByTimeAsync(4_500);
    poller.stop();
    expect(calls.map((c) => c.wait)).toEqual([3, undefined, undefined, 3]);
    expect(connection).toEqual(['reconnecting', 'reconnecting', 'connected']);
  });

  it('caps the backoff', () => {
    expect(backoffDelay(1)).toBe(1_000);
    expect(backoffDelay(3)).toBe(4_000);
    expect(backoffDelay(20)).toBe(POLL_TIMING.backoffMaxMs);
  });

  it('treats a 500 and a malformed answer as transient', async () => {
    const errors = [
      new ApiError('server-error', 'pollMsg', 'Server error 500', 500),
      new ApiError('malformed', 'pollMsg', 'bad'),
    ];
    const { poller, ends, connection } = setup(
      false,
      (last, call) => errors[call - 1] ?? unchanged(last),
    );
    poller.start(1);
    await vi.advanceTimersByTimeAsync(5_000);
    poller.stop();
    expect(ends).toEqual([]);
    expect(connection).toEqual(['reconnecting', 'reconnecting', 'connected']);
  });

  it('ends on a one-time errmessage and stops polling', async () => {
    const { poller, calls, ends } = setup(false, () => ({
      status: 'errmessage',
      text: 'You have been kicked from the room',
    }));
    poller.start(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ends).toEqual([{ kind: 'errmessage', text: 'You have been kicked from the room' }]);
    expect(calls).toHaveLength(1);
    expect(poller.active).toBe(false);
  });

  it('ends when the session is gone (403) or the room closed (400)', async () => {
    for (const kind of ['forbidden', 'bad-request'] as const) {
      const { poller, calls, ends } = setup(true, () => new ApiError(kind, 'pollMsg', kind));
      poller.start(1);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(ends).toEqual([{ kind: 'session-ended' }]);
      expect(calls).toHaveLength(1);
    }
  });

  it('stops cleanly: a late answer after stop is ignored', async () => {
    let release: (a: Answer) => void = () => {};
    const { poller, delivered, calls } = setup(true, () => unchanged(0));
    const late = new Promise<Answer>((resolve) => (release = resolve));
    const slow = new Poller({
      longPoll: true,
      poll: async () => {
        const a = await late;
        if (a instanceof ApiError) throw a;
        return a;
      },
      onMessages: (rows) => void delivered.push(rows),
      onEnd: () => {},
      onConnection: () => {},
    });
    slow.start(0);
    slow.stop();
    release({ status: 'updated', messages: [row(1)] });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(delivered).toEqual([]);
    expect(calls).toHaveLength(0);
    poller.stop();
  });
});
