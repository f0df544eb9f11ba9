/** The two fixes for a blocked sandbox, as lines to print. */
export function sandboxRemedies(electronBinary: string): string[];
/** Why Chromium's sandbox cannot start, or null. */
export function sandboxBlocked(
  platform: NodeJS.Platform,
  facts: {
    restrictUserns: string | null;
    helper: { uid: number; mode: number } | null;
    profiled: boolean;
  },
): string | null;
/** sandboxBlocked for node_modules' Electron on this machine. */
export function electronSandboxBlocked(
  electronBinary: string,
  platform?: NodeJS.Platform,
): string | null;
