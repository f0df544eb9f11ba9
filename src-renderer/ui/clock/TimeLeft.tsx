import { useId, type ReactNode } from 'react';
import { shortDuration } from '../../client/expiry';
import { useNow } from './useNow';

const exactTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** How long before its lifetime a message starts to fade. */
export const FADE_MS = 5_000;

/**
 * A message's time, focusable, with how long the message has left. The countdown shows (and
 * ticks) only while the message is hovered or the time has keyboard focus; screen readers get
 * the moment it vanishes as the time's description, read when they ask, never announced.
 */
export function TimeLeft({
  expiresAt,
  active,
  onActive,
  children,
}: {
  expiresAt: number;
  active: boolean;
  onActive(active: boolean): void;
  children: ReactNode;
}) {
  const id = useId();
  const now = useNow(active);
  return (
    <span
      className="time-left-anchor"
      tabIndex={0}
      aria-describedby={id}
      onFocus={() => onActive(true)}
      onBlur={() => onActive(false)}
    >
      {children}
      <span id={id} className="visually-hidden">
        Vanishes at {exactTime.format(expiresAt)}
      </span>
      {active && (
        <span className="time-left" aria-hidden="true" data-testid="time-left">
          {shortDuration(expiresAt - now)} left
        </span>
      )}
    </span>
  );
}
