import { useId } from 'react';
import { LIFETIME_CHOICES_S, describeLifetime } from '../../../src-shared/protocol';

/** *Start a room*'s choice of how long messages last; empty means the server's own time. */
export function LifetimeField({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange(seconds: number | undefined): void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Messages vanish after</label>
      <select
        id={id}
        value={value ?? ''}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      >
        <option value="">The server’s time (default)</option>
        {LIFETIME_CHOICES_S.map((s) => (
          <option key={s} value={s}>
            {describeLifetime(s)}
          </option>
        ))}
      </select>
      <p id={`${id}-hint`} className="hint">
        For everyone in the room, whatever app they use. You can change it later; everyone sees when
        you do.
      </p>
    </div>
  );
}
