import { describe, expect, it, vi } from 'vitest';
import { PurgeScheduler } from './purge-scheduler';

describe('PurgeScheduler', () => {
  it('logs a failing run and still runs the next one; stop ends the runs', () => {
    vi.useFakeTimers();
    const logs: string[] = [];
    let runs = 0;
    const scheduler = new PurgeScheduler(
      {
        run: () => {
          runs += 1;
          if (runs === 1) throw new Error('database is locked: secret detail');
        },
      },
      20,
      (line) => logs.push(line),
    );
    scheduler.start();
    vi.advanceTimersByTime(60);
    scheduler.stop();
    expect(runs).toBe(3);
    expect(logs).toEqual(['purge failed: Error']);
    vi.advanceTimersByTime(60);
    expect(runs).toBe(3);
    vi.useRealTimers();
  });
});
