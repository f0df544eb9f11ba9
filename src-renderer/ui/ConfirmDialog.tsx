import { useRef } from 'react';
import { useDialogFocus } from './useDialogFocus';

export interface Confirmation {
  title: string;
  text: string;
  action: string;
  /** Style the action as destructive. */
  danger?: boolean;
  run(): void;
}

/** Asks before an action that cannot be undone. Escape or Cancel backs out. */
export function ConfirmDialog({ confirmation, onClose }: { confirmation: Confirmation; onClose(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const onKeyDown = useDialogFocus(dialog, onClose);
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
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={confirmation.danger === false ? 'primary' : 'danger'}
            onClick={() => {
              onClose();
              confirmation.run();
            }}
          >
            {confirmation.action}
          </button>
        </div>
      </div>
    </div>
  );
}
