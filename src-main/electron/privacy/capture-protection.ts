import type { CaptureProtection } from '../../../src-shared/ipc/contract';

/** The parts of Electron the decision needs: injected, so it is tested without Electron. */
export interface CaptureProtectionApis {
  platform: NodeJS.Platform;
  app: {
    readonly accessibilitySupportEnabled: boolean;
    on(
      event: 'accessibility-support-changed',
      listener: (event: unknown, on: boolean) => void,
    ): void;
  };
  window: { setContentProtection(enable: boolean): void };
}

/**
 * Whether the window is kept out of screenshots, recordings and screen sharing. Only macOS and
 * Windows offer it (Electron's setContentProtection does nothing elsewhere). It steps aside for
 * assistive technology, which may need to capture the window (screen magnifiers, OCR readers),
 * and when the member turns it off.
 */
export function decideCaptureProtection(
  platform: NodeJS.Platform,
  assistiveTechnology: boolean,
  wanted: boolean,
): CaptureProtection {
  if (platform !== 'darwin' && platform !== 'win32') return { state: 'unavailable' };
  if (!wanted) return { state: 'off', reason: 'member' };
  if (assistiveTechnology) return { state: 'off', reason: 'assistive-technology' };
  return { state: 'on' };
}

/** Applies the decision to the window now and whenever assistive technology comes or goes. */
export class CaptureProtectionControl {
  private wanted = true;
  private current: CaptureProtection;

  constructor(private readonly apis: CaptureProtectionApis) {
    this.current = this.apply();
    apis.app.on('accessibility-support-changed', () => {
      this.current = this.apply();
    });
  }

  status(): CaptureProtection {
    return this.current;
  }

  /** The member's choice (on by default); answers what is in force now. */
  set(wanted: boolean): CaptureProtection {
    this.wanted = wanted;
    this.current = this.apply();
    return this.current;
  }

  private apply(): CaptureProtection {
    const decision = decideCaptureProtection(
      this.apis.platform,
      this.apis.app.accessibilitySupportEnabled,
      this.wanted,
    );
    if (decision.state !== 'unavailable')
      this.apis.window.setContentProtection(decision.state === 'on');
    return decision;
  }
}
