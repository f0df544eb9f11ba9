import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE =
  'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** Controls that can take focus now: not disabled, not inside a closed disclosure. */
function focusable(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0,
  );
}

/**
 * A modal dialog's keyboard contract: focus on its first control, Tab kept inside, Escape closes,
 * and focus back on whatever opened it. Returns the keydown handler for the dialog element.
 */
export function useDialogFocus(
  dialog: RefObject<HTMLElement | null>,
  onClose: () => void,
  /** For an element that is a dialog only at times (the people sheet on narrow screens). */
  active = true,
) {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!active) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog.current) focusable(dialog.current)[0]?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, [dialog, active]);

  return (e: KeyboardEvent<HTMLElement>) => {
    if (!active) return;
    if (e.key === 'Escape') {
      e.stopPropagation();
      close.current();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    const items = focusable(dialog.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };
}
