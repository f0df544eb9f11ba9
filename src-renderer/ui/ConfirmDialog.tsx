import { useEffect, useRef } from 'react';

export interface Confirmation {
  title: string;
  text: string;
  action: string;
  run(): void;
}

/** Asks before an owner action that cannot be undone. Escape or Cancel backs out. */
export function ConfirmDialog({ confirmation, onClose }: { confirmation: Confirmation; onClose(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text">
        <h2 id="confirm-title">{confirmation.title}</h2>
        <p id="confirm-text">{confirmation.text}</p>
        <div className="row end">
          <button ref={cancel} type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
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
