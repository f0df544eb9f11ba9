import { describe, expect, it } from 'vitest';
import { PurgeScheduler } from './purge-scheduler';

describe('PurgeScheduler', () => {
  it('logs a failing run and still runs the next one; stop ends the runs', async () => {
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
    const deadline = Date.now() + 5_000;
    while (runs < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    scheduler.stop();
    const afterStop = runs;
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(logs).toEqual(['purge failed: Error']);
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toBe(afterStop);
  });
});
