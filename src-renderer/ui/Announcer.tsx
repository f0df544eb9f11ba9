import { useEffect, useRef, useState } from 'react';
import { announcement } from '../client/announce';
import { useChat } from '../state/context';

/** At most one announcement this often; what arrives meanwhile is summed up in the next one. */
const THROTTLE_MS = 2_000;
/** Lets a batch that is still decrypting land before it is summed up. */
const GATHER_MS = 400;
/** What was read out leaves the page soon after: a message must not outlive its lifetime here. */
const CLEAR_MS = 5_000;

/**
 * A polite live region that tells screen readers about new messages without flooding them: the
 * message log itself is not live, this region speaks a throttled summary.
 */
export function Announcer() {
  const lines = useChat((s) => s.lines);
  const me = useChat((s) => s.session?.user ?? '');
  const latest = useRef({ lines, me });
  latest.current = { lines, me };
  const said = useRef(lines.length > 0 ? lines[lines.length - 1]!.id : 0);
  const lastSpoken = useRef(0);
  const timer = useRef<number>(undefined);
  const [spoken, setSpoken] = useState({ n: 0, text: '' });

  useEffect(() => {
    if (timer.current !== undefined) return;
    const wait = Math.max(GATHER_MS, lastSpoken.current + THROTTLE_MS - Date.now());
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      const { lines: now, me: user } = latest.current;
      const text = announcement(now, said.current, user);
      said.current = now.length > 0 ? now[now.length - 1]!.id : said.current;
      if (text === undefined) return;
      lastSpoken.current = Date.now();
      setSpoken((prev) => ({ n: prev.n + 1, text }));
    }, wait);
  }, [lines]);

  useEffect(() => {
    if (!spoken.text) return;
    const clear = window.setTimeout(() => setSpoken((prev) => ({ n: prev.n, text: '' })), CLEAR_MS);
    return () => window.clearTimeout(clear);
  }, [spoken]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {/* A new node each time, so the same words twice are still spoken. */}
      {spoken.text && <span key={spoken.n}>{spoken.text}</span>}
    </div>
  );
}
