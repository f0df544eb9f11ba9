import { memo, useEffect, useRef } from 'react';
import type { RoomLine } from '../state/store';
import { useChat } from '../state/context';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const Line = memo(function Line({ line, me }: { line: RoomLine; me: string }) {
  const time = <time dateTime={new Date(line.time).toISOString()}>{timeFormat.format(line.time)}</time>;
  switch (line.kind) {
    case 'system':
      return (
        <li className={`line system ${line.level}`} data-kind="system" data-level={line.level}>
          {time}
          <span className="text">{line.text}</span>
        </li>
      );
    case 'local':
      return (
        <li className={`line local ${line.level}`} data-kind="local">
          {time}
          <span className="text">{line.text}</span>
        </li>
      );
    case 'undecryptable':
      return (
        <li className="line undecryptable" data-kind="undecryptable">
          {time}
          <span className="text">Could not decrypt a message from {line.from}</span>
        </li>
      );
    default: {
      const dm = line.to !== undefined;
      const who = dm ? (
        <span className="dm-tag" aria-label={line.outgoing ? `direct message to ${line.to}` : `direct message from ${line.from}`}>
          {line.outgoing ? `DM to ${line.to}` : `DM from ${line.from}`}
        </span>
      ) : null;
      return (
        <li
          className={`line ${line.kind}${dm ? ' dm' : ''}${line.from === me ? ' mine' : ''}`}
          data-kind={line.kind}
          data-dm={dm ? 'true' : undefined}
        >
          {time}
          {who}
          {line.kind === 'do' ? (
            <span className="text">
              * <b className="sender">{line.from}</b> {line.text}
            </span>
          ) : (
            <span className="text">
              <b className="sender">{line.from}</b>: {line.text}
            </span>
          )}
        </li>
      );
    }
  }
});

export function MessageList() {
  const lines = useChat((s) => s.lines);
  const me = useChat((s) => s.session?.user ?? '');
  const decrypting = useChat((s) => s.decrypting);
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);

  // Scroll in the next frame: reading scrollHeight right after a commit forces a synchronous
  // layout per decrypted batch, which made backlog handling the longest task on the UI thread.
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const el = list.current;
      if (el && pinned.current) el.scrollTop = el.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [lines]);

  return (
    <div className="messages-wrap">
      <ol
        ref={list}
        className="messages"
        role="log"
        aria-live="polite"
        aria-label="Messages"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {lines.map((line) => (
          <Line key={line.id} line={line} me={me} />
        ))}
      </ol>
      {decrypting > 0 && (
        <p className="decrypting" role="status">
          Decrypting {decrypting} message{decrypting === 1 ? '' : 's'}…
        </p>
      )}
    </div>
  );
}
