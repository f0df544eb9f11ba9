import { useEffect, useRef } from 'react';
import { useChat } from '../state/context';
import { BurnReport } from './wipe/BurnReport';

export function EndedScreen() {
  const ended = useChat((s) => s.ended);
  const backToStart = useChat((s) => s.backToStart);
  const burn = useChat((s) => s.burn);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <main className="screen ended" aria-labelledby="ended-title">
      <section className="card notice-card" role="alert">
        <h1 id="ended-title">{ended?.title ?? 'Session ended'}</h1>
        <p className="ended-text">{ended?.text}</p>
        {burn && <BurnReport burn={burn} />}
        <p className="hint">Keys and messages of that room have been cleared from this window.</p>
        <button ref={button} type="button" className="primary" onClick={backToStart}>
          Back to start
        </button>
      </section>
    </main>
  );
}
