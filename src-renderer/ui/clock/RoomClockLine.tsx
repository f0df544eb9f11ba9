import { useEffect, useRef, useState } from 'react';
import { idleClosesAt, shortDuration } from '../../client/expiry';
import { LIFETIME_CHOICES_S, describeLifetime } from '../../../src-shared/protocol';
import { useChat } from '../../state/context';
import { useNow } from './useNow';
import './RoomClock.css';

const clockTime = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The room has been quiet this long: the header says when the server will close it. */
const IDLE_SHOWN_AFTER_MS = 60_000;

/** The owner's picker: every choice up to the server's own lifetime. */
function LifetimePicker({ current, serverMs }: { current: number; serverMs: number }) {
  const setRoomLifetime = useChat((s) => s.setRoomLifetime);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('[aria-pressed="true"], button')?.focus();
    const outside = (e: PointerEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const choices = [...new Set([...LIFETIME_CHOICES_S, serverMs / 1000])]
    .filter((s) => s * 1000 <= serverMs)
    .sort((a, b) => a - b);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <span className="menu-wrap lifetime-wrap">
      <button
        ref={button}
        type="button"
        className="link-button lifetime-button"
        aria-expanded={open}
        aria-controls="lifetime-menu"
        onClick={() => setOpen(!open)}
      >
        Messages vanish after {describeLifetime(current / 1000)}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <div
          ref={panel}
          id="lifetime-menu"
          className="menu lifetime-menu"
          role="group"
          aria-label="How long messages last"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <p>Everyone sees the change. Messages older than the new time vanish at once.</p>
          {choices.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={s * 1000 === current}
              onClick={() => {
                close();
                void setRoomLifetime(s);
              }}
            >
              {describeLifetime(s)}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}

/** The header's line about time: how long messages last and, when quiet, when the room closes. */
export function RoomClockLine() {
  const clock = useChat((s) => s.roomClock);
  const owner = useChat((s) => s.session?.owner ?? false);
  const lines = useChat((s) => s.lines);
  const now = useNow(clock !== undefined, 15_000);
  if (!clock) return null;
  const closesAt = idleClosesAt(lines, clock);
  const idle = closesAt - clock.idleCloseMs <= now - IDLE_SHOWN_AFTER_MS;
  return (
    <p className="room-clock" data-testid="room-clock">
      {owner ? (
        <LifetimePicker current={clock.lifetimeMs} serverMs={clock.serverLifetimeMs} />
      ) : (
        <span>Messages vanish after {describeLifetime(clock.lifetimeMs / 1000)}</span>
      )}
      {idle && (
        <span className="idle-close">
          {' · '}Quiet: the room closes at {clockTime.format(closesAt)} (in{' '}
          {shortDuration(closesAt - now)}) unless someone writes
        </span>
      )}
    </p>
  );
}
