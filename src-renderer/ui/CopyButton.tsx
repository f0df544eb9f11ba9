import { useState } from 'react';

/** Copies text to the clipboard and says so; falls back to selecting the field. */
export function CopyButton({
  text,
  label,
  fieldId,
  primary,
}: {
  text: string;
  label: string;
  fieldId?: string;
  /** The dialog's main action: styled as such, its name shown rather than just "Copy". */
  primary?: boolean;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
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
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Selected — press Ctrl+C' : primary ? label : 'Copy'}
    </button>
  );
}
