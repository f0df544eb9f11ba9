import { useEffect } from 'react';
import { useChat } from '../../state/context';

/** Ctrl+Shift+X (Cmd+Shift+X on a Mac) clears the screen; listed in /help. */
export const CLEAR_SCREEN_KEY = 'x';
/** Ctrl+Shift+L leaves and wipes: the panic key. */
export const LEAVE_AND_WIPE_KEY = 'l';

/**
 * While in a room: the wipe keys, wherever the focus is (the message box included), and copies of
 * selected room text, which are then cleared from the clipboard like the app's own copies.
 */
export function useWipeKeys(): void {
  const clearScreen = useChat((s) => s.clearScreen);
  const leaveAndWipe = useChat((s) => s.leaveAndWipe);
  const noteCopied = useChat((s) => s.noteCopied);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === CLEAR_SCREEN_KEY) {
        e.preventDefault();
        clearScreen();
      } else if (key === LEAVE_AND_WIPE_KEY) {
        e.preventDefault();
        void leaveAndWipe();
      }
    };
    const onCopy = () => noteCopied(document.getSelection()?.toString() ?? '');
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('copy', onCopy);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('copy', onCopy);
    };
  }, [clearScreen, leaveAndWipe, noteCopied]);
}
