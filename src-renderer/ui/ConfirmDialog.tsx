import { useId, useRef, useState } from 'react';
import { useDialogFocus } from './useDialogFocus';

export interface Confirmation {
  title: string;
  text: string;
  action: string;
  /** Style the action as destructive. */
  danger?: boolean;
  /** A checkbox under the text, e.g. "Also clear my draft"; run() gets whether it was ticked. */
  option?: string;
  run(option: boolean): void;
}

/** Asks before an action that cannot be undone. Escape or Cancel backs out. */
export function ConfirmDialog({
  confirmation,
  onClose,
}: {
  confirmation: Confirmation;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useDialogFocus(dialog, onClose);
  const [option, setOption] = useState(false);
  const optionId = useId();
  return (
    <div className="backdrop" onKeyDown={onKeyDown}>
      <div
        ref={dialog}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-text"
      >
        <h2 id="confirm-title">{confirmation.title}</h2>
        <p id="confirm-text">{confirmation.text}</p>
        {confirmation.option && (
          <p className="confirm-option">
            <input
              id={optionId}
              type="checkbox"
              checked={option}
              onChange={(e) => setOption(e.target.checked)}
            />{' '}
            <label htmlFor={optionId}>{confirmation.option}</label>
          </p>
        )}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={confirmation.danger === false ? 'primary' : 'danger'}
            onClick={() => {
              onClose();
              confirmation.run(option);
            }}
          >
            {confirmation.action}
          </button>
        </div>
      </div>
    </div>
  );
}
