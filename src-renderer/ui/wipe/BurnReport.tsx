import type { BurnView } from '../../state/store';
import { reportSentences } from '../../state/slices/wipe';
import './Wipe.css';

/** On the screen after a burn: the owner's wipe report, or the wait for it. */
export function BurnReport({ burn }: { burn: BurnView }) {
  if (burn.kind === 'burned') return null;
  if (burn.kind === 'burning')
    return (
      <p className="burn-report" role="status">
        Waiting for the members’ windows to confirm their wipe (a few seconds)…
      </p>
    );
  if (burn.kind === 'unreported')
    return (
      <p className="burn-report" role="status">
        {burn.message}
      </p>
    );
  return (
    <div className="burn-report" role="status">
      <h2>Wipe report</h2>
      {reportSentences(burn.report).map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
      <p>The room is gone from the server.</p>
    </div>
  );
}
