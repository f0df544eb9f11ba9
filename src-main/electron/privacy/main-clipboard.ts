/** Main's clipboard, as Electron's `clipboard` offers it (reading is asynchronous there). */
export interface SystemClipboard {
  readText(): Promise<string> | string;
  clear(): void;
}

/**
 * Clears the clipboard only if it still holds `text`, the room text the window copied: whatever
 * the user copied since, from anywhere, stays. True when it was cleared.
 */
export async function clearIfHolds(clipboard: SystemClipboard, text: string): Promise<boolean> {
  if ((await clipboard.readText()) !== text) return false;
  clipboard.clear();
  return true;
}
