import { useEffect, useRef, useState } from 'react';
import { useChat } from '../../state/context';
import './NotificationToggle.css';

/** Drawn, not an emoji: emoji fonts are missing on many Linux desktops. Struck through when off. */
function BellIcon({ on }: { on: boolean }) {
  return (
    <svg
      className="bell-icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zM10 19a2 2 0 0 0 4 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      {!on && <path d="M4 4l16 16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />}
    </svg>
  );
}

/**
 * The bell in the room header. The browser's permission question comes only from the click on
 * "Turn on", after one line on what notifications are for; never at join.
 */
export function NotificationToggle() {
  const permission = useChat((s) => s.notifications);
  const on = useChat((s) => s.notificationsOn);
  const toggle = useChat((s) => s.toggleNotifications);
  const showText = useChat((s) => s.notificationText);
  const setShowText = useChat((s) => s.setNotificationText);
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector('button')?.focus();
    const outside = (e: PointerEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  if (permission === 'unsupported') return null;
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="menu-wrap">
      <button
        ref={button}
        type="button"
        className="notify-button"
        aria-expanded={open}
        aria-controls="notify-panel"
        onClick={() => setOpen(!open)}
      >
        <BellIcon on={on} />
        <span className="visually-hidden">Notifications {on ? 'on' : 'off'}</span>
      </button>
      {open && (
        <div
          ref={panel}
          id="notify-panel"
          className="menu notify-panel"
          role="group"
          aria-label="Notifications"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <p>
            A desktop notification when someone writes while this window is in the background. It
            says only “New message in your room”, and goes away when the message does.
          </p>
          <label className="notify-text">
            <input
              type="checkbox"
              checked={showText}
              onChange={(e) => setShowText(e.target.checked)}
            />
            Show message text in notifications
          </label>
          {permission === 'denied' ? (
            <p className="notify-blocked">
              This browser blocks notifications for this page; allow them in its site settings.
            </p>
          ) : (
            <button
              type="button"
              className={on ? undefined : 'primary'}
              onClick={() => void toggle().then(close)}
            >
              {on ? 'Turn off' : 'Turn on'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
