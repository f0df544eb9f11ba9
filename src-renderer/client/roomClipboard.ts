import type { LocalChatBridge } from '../../src-shared/ipc/contract';
import type { Clock } from './poller';

/** How long text copied from a room may stay on the clipboard, as password managers do. */
export const CLIPBOARD_HOLD_MS = 30_000;

/** What a host lets the page do with the system clipboard. */
export interface ClipboardAccess {
  write(text: string): Promise<void>;
  /**
   * Empties the clipboard if it still holds `text`. A host that cannot read the clipboard (a
   * browser page) empties it without looking, and a page without focus cannot at all.
   */
  clearIf(text: string): Promise<void>;
}

/**
 * Room text on the clipboard: the last text copied from the room (a Copy button, or a selection
 * copied with Ctrl+C), cleared after CLIPBOARD_HOLD_MS if still there, and at once when the room
 * is left, closed or burned.
 */
export class RoomClipboard {
  private held: string | undefined;
  private timer: unknown;

  constructor(
    private readonly access: ClipboardAccess | undefined,
    private readonly clock: Clock,
  ) {}

  /** Copies through the host; false when the host refused (no clipboard, no focus). */
  async copy(text: string): Promise<boolean> {
    if (!this.access) return false;
    try {
      await this.access.write(text);
    } catch {
      return false;
    }
    this.remember(text);
    return true;
  }

  /** The user copied room text themselves (a selection): it is cleared like ours. */
  noteCopied(text: string): void {
    if (text !== '') this.remember(text);
  }

  /** Whether room text may still be on the clipboard (for tests and the wipe). */
  get holding(): boolean {
    return this.held !== undefined;
  }

  async clear(): Promise<void> {
    const text = this.held;
    this.held = undefined;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (text === undefined || !this.access) return;
    await this.access.clearIf(text).catch(() => undefined);
  }

  private remember(text: string): void {
    this.held = text;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.clear();
    }, CLIPBOARD_HOLD_MS);
  }
}

/**
 * The browser page's clipboard. Reading it needs a permission the page never asks for, so the
 * page compares only where that permission was already granted, and otherwise clears without
 * looking: a cleared clipboard is the safe mistake. Browsers refuse both while the page is in the
 * background; then the text stays until the page is next used or the clipboard is overwritten.
 */
export function createBrowserClipboard(
  clipboard: Clipboard | undefined,
): ClipboardAccess | undefined {
  if (!clipboard) return undefined;
  return {
    write: (text) => clipboard.writeText(text),
    async clearIf(text) {
      if (await readGranted()) {
        const now = await clipboard.readText().catch(() => undefined);
        if (now !== undefined && now !== text) return;
      }
      await clipboard.writeText('');
    },
  };
}

async function readGranted(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'clipboard-read' as PermissionName });
    return status.state === 'granted';
  } catch {
    return false;
  }
}

/**
 * The desktop app's clipboard: the page writes (Electron lets it), main compares and clears,
 * since the page may not read the clipboard.
 */
export function createElectronClipboard(
  bridge: Pick<LocalChatBridge, 'invoke'>,
  clipboard: Clipboard,
): ClipboardAccess {
  return {
    write: (text) => clipboard.writeText(text),
    clearIf: async (text) => void (await bridge.invoke('clipboard:clear-if', text)),
  };
}
