import { describe, expect, it } from 'vitest';
import { CaptureProtectionControl, decideCaptureProtection } from './capture-protection';
import { clearIfHolds } from './main-clipboard';

/** Electron's app and window as the control sees them, recording every call. */
function fakeElectron(platform: NodeJS.Platform, accessibility = false) {
  const calls: boolean[] = [];
  let listener: ((event: unknown, on: boolean) => void) | undefined;
  const app = {
    accessibilitySupportEnabled: accessibility,
    on: (_event: 'accessibility-support-changed', l: (event: unknown, on: boolean) => void) => {
      listener = l;
    },
  };
  const window = { setContentProtection: (on: boolean) => void calls.push(on) };
  const assistive = (on: boolean) => {
    app.accessibilitySupportEnabled = on;
    listener?.({}, on);
  };
  return { apis: { platform, app, window }, calls, assistive };
}

describe('capture protection', () => {
  it('is on by default where the OS offers it, and not available on Linux', () => {
    expect(decideCaptureProtection('darwin', false, true)).toEqual({ state: 'on' });
    expect(decideCaptureProtection('win32', false, true)).toEqual({ state: 'on' });
    expect(decideCaptureProtection('linux', false, true)).toEqual({ state: 'unavailable' });
    expect(decideCaptureProtection('linux', true, false)).toEqual({ state: 'unavailable' });
  });

  it('steps aside for assistive technology and for the member', () => {
    expect(decideCaptureProtection('win32', true, true)).toEqual({
      state: 'off',
      reason: 'assistive-technology',
    });
    expect(decideCaptureProtection('darwin', false, false)).toEqual({
      state: 'off',
      reason: 'member',
    });
  });

  it('applies the decision to the window at once, on the member’s choice and when a screen reader starts', () => {
    const electron = fakeElectron('darwin');
    const control = new CaptureProtectionControl(electron.apis);
    expect(electron.calls).toEqual([true]);
    electron.assistive(true);
    expect(control.status()).toEqual({ state: 'off', reason: 'assistive-technology' });
    electron.assistive(false);
    expect(control.set(false)).toEqual({ state: 'off', reason: 'member' });
    expect(control.set(true)).toEqual({ state: 'on' });
    expect(electron.calls).toEqual([true, false, true, false, true]);
  });

  it('never calls the window on Linux, where the call would pretend', () => {
    const electron = fakeElectron('linux', true);
    const control = new CaptureProtectionControl(electron.apis);
    control.set(false);
    electron.assistive(false);
    expect(control.status()).toEqual({ state: 'unavailable' });
    expect(electron.calls).toEqual([]);
  });
});

describe("main's clipboard", () => {
  it('clears only the text the window copied', async () => {
    const board = { text: 'room text', cleared: 0 };
    const clipboard = {
      readText: () => board.text,
      clear: () => {
        board.text = '';
        board.cleared++;
      },
    };
    expect(await clearIfHolds(clipboard, 'other text')).toBe(false);
    expect(board.text).toBe('room text');
    expect(await clearIfHolds(clipboard, 'room text')).toBe(true);
    expect(board).toEqual({ text: '', cleared: 1 });
  });
});
