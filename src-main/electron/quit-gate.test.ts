import { describe, expect, it, vi } from 'vitest';
import { InFlight, QUIT_BOUND_MS, QuitGate } from './quit-gate';

function gate(stop: () => Promise<void>, inFlight: Promise<unknown>[] = []) {
  let elapse: () => void = () => {};
  const deps = {
    stopHosting: vi.fn(stop),
    inFlight: () => inFlight,
    quit: vi.fn(),
    log: vi.fn(),
    delay: vi.fn((ms: number) => {
      expect(ms).toBe(QUIT_BOUND_MS);
      return new Promise<void>((resolve) => (elapse = resolve));
    }),
  };
  return { gate: new QuitGate(deps), deps, elapse: () => elapse() };
}
const quitEvent = () => ({ preventDefault: vi.fn() });
const never = () => new Promise<void>(() => {});

describe('quitting while hosting', () => {
  it('stops the room server, then quits; the next before-quit goes through', async () => {
    const { gate: g, deps } = gate(async () => {});
    const first = quitEvent();
    g.beforeQuit(first);
    expect(first.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
    const second = quitEvent();
    g.beforeQuit(second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    expect(deps.log).not.toHaveBeenCalled();
  });

  it('quits at the bound when the server never stops, saying so', async () => {
    const { gate: g, deps, elapse } = gate(never);
    g.beforeQuit(quitEvent());
    await Promise.resolve();
    expect(deps.quit).not.toHaveBeenCalled();
    elapse();
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
    expect(deps.log).toHaveBeenCalledWith(expect.stringMatching(/did not stop within 2000 ms/));
  });

  it('a second quit while stopping (Ctrl+C twice) joins the stop under way', async () => {
    const { gate: g, deps, elapse } = gate(never);
    g.beforeQuit(quitEvent());
    const again = quitEvent();
    g.beforeQuit(again);
    expect(again.preventDefault).toHaveBeenCalled();
    expect(deps.stopHosting).toHaveBeenCalledTimes(1);
    expect(deps.delay).toHaveBeenCalledTimes(1);
    elapse();
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
  });

  it('waits for requests under way within the same bound, and not past it', async () => {
    let finish: () => void = () => {};
    const leave = new Promise<void>((resolve) => (finish = resolve));
    const { gate: g, deps } = gate(async () => {}, [leave]);
    g.beforeQuit(quitEvent());
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(deps.quit).not.toHaveBeenCalled();
    finish();
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));

    const stuck = gate(async () => {}, [new Promise(() => {})]);
    stuck.gate.beforeQuit(quitEvent());
    stuck.elapse();
    await vi.waitFor(() => expect(stuck.deps.quit).toHaveBeenCalledTimes(1));
  });

  it('a failing stop is logged and the app still quits', async () => {
    const { gate: g, deps } = gate(() => Promise.reject(new Error('EBUSY')));
    g.beforeQuit(quitEvent());
    await vi.waitFor(() => expect(deps.quit).toHaveBeenCalledTimes(1));
    expect(deps.log).toHaveBeenCalledWith(expect.stringMatching(/EBUSY/));
  });
});

describe('requests under way', () => {
  it('are tracked until they settle, failed ones too', async () => {
    const inFlight = new InFlight();
    let finish: () => void = () => {};
    const ok = inFlight.track(new Promise<void>((resolve) => (finish = resolve)));
    const failed = inFlight.track(Promise.reject(new Error('refused')));
    await expect(failed).rejects.toThrow('refused');
    expect(inFlight.all()).toEqual([ok]);
    finish();
    await ok;
    expect(inFlight.all()).toEqual([]);
  });
});
