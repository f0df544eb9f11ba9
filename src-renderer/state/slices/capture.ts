import type { CaptureProtection } from '../../../src-shared/ipc/contract';
import type { SliceContext } from './context';
import { addLocal } from './timeline';

/** Keeping the desktop window out of screen captures, and telling the room when it is not. */
export interface CaptureSlice {
  /** Undefined where the host has no such control (a browser page). */
  capture?: CaptureProtection;
  /** Asks main for the current state (at start, and again when a room is joined). */
  refreshCapture(): Promise<void>;
  setCaptureProtection(on: boolean): Promise<void>;
}

export const initialCapture = () => ({});

/** Whether the room should be told that this window can be captured. */
const capturable = (c: CaptureProtection | undefined) => c?.state === 'off';

/**
 * Tells the room (the `capture` extension) that this window can be captured, or no longer can.
 * Best effort: a server without the extension, or one that says it is too soon, is not an error
 * the member needs to see.
 */
async function announce(ctx: SliceContext, off: boolean): Promise<void> {
  const session = ctx.get().session;
  const api = ctx.live.api;
  if (!session || !api || !session.extensions.includes('capture')) return;
  await api
    .call('announceCapture', {
      roomName: session.room,
      user: session.user,
      sesskey: session.sesskey,
      protected: !off,
    })
    .catch(() => undefined);
}

/** At join: the room assumes protection, so a window without it says so. */
export async function announceCaptureAtJoin(ctx: SliceContext, mine: number): Promise<void> {
  const control = ctx.deps.host.capture;
  if (!control) return;
  const capture = await control.status().catch(() => undefined);
  if (mine !== ctx.live.generation || !capture) return;
  ctx.set({ capture });
  if (capturable(capture)) await announce(ctx, true);
}

export function captureSlice(ctx: SliceContext): CaptureSlice {
  return {
    ...initialCapture(),
    async refreshCapture() {
      const capture = await ctx.deps.host.capture?.status().catch(() => undefined);
      if (capture) ctx.set({ capture });
    },
    async setCaptureProtection(on) {
      const control = ctx.deps.host.capture;
      if (!control) return;
      const before = ctx.get().capture;
      const capture = await control.set(on).catch(() => undefined);
      if (!capture) return;
      ctx.set({ capture });
      if (capture.state === 'off' && capture.reason === 'assistive-technology' && on)
        addLocal(
          ctx,
          'Screen capture protection stays off while assistive technology (a screen reader, a magnifier) is in use.',
          'info',
        );
      if (capturable(before) !== capturable(capture)) await announce(ctx, capturable(capture));
    },
  };
}
