import { useState } from 'react';
import { useChat } from '../state/context';

/**
 * Copies text to the clipboard and says so; falls back to selecting the field. Room text is
 * cleared from the clipboard later (see RoomClipboard); `lasting` text (a server address) is not.
 */
export function CopyButton({
  text,
  label,
  fieldId,
  primary,
  lasting,
}: {
  text: string;
  label: string;
  fieldId?: string;
  /** The dialog's main action: styled as such, its name shown rather than just "Copy". */
  primary?: boolean;
  lasting?: boolean;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyText = useChat((s) => s.copyText);
  async function copy() {
    const copied = lasting
      ? await navigator.clipboard.writeText(text).then(
          () => true,
          () => false,
        )
      : await copyText(text);
    if (copied) setState('copied');
    else {
      const field = fieldId ? document.getElementById(fieldId) : null;
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) field.select();
      setState('failed');
    }
  }
  return (
    <button
      type="button"
      className={primary ? 'copy primary' : 'copy'}
      aria-label={primary ? undefined : label}
      onClick={() => void copy()}
    >
      {state === 'copied'
        ? 'Copied'
        : state === 'failed'
          ? 'Selected — press Ctrl+C'
          : primary
            ? label
            : 'Copy'}
    </button>
  );
}
