import { useEffect, useState } from 'react';
import { formatWait } from '../../client/errors';
import { useChat } from '../../state/context';
import './RetryCountdown.css';

/**
 * Counts down to the moment the server said trying again makes sense (a login lockout, a busy
 * or full server). A timer, not a live region: screen readers are not told every second.
 */
export function RetryCountdown() {
  const retryAt = useChat((s) => s.retryAt);
  const error = useChat((s) => s.error);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [retryAt]);
  if (retryAt === undefined || !error) return null;
  const left = Math.ceil((retryAt - now) / 1_000);
  return (
    <p className="retry-countdown" role="timer">
      {left > 0 ? `You can try again in ${formatWait(left)}.` : 'You can try again now.'}
    </p>
  );
}
