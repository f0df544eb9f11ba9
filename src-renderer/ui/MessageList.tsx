import { memo, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { dmTag } from '../client/delivery';
import { continuesGroup, startsDay } from '../client/grouping';
import { heldRuns } from '../client/heldRuns';
import { kicksFoldedIntoBans } from '../client/notices';
import { unreadAfter, unreadDividerAt } from '../client/unread';
import { useChat } from '../state/context';
import { Announcer } from './Announcer';
import { MessageText } from './MessageText';
import { NoticeText } from './NoticeText';
import { ScriptMix } from './ScriptMix';
import { useStickToBottom } from './useStickToBottom';
import { FADE_MS, TimeLeft } from './clock/TimeLeft';
import { expiresAt as expiryOf } from '../client/expiry';
import './MessageList.css';
import type { RoomLine } from '../state/store';

// HH:MM on a 24-hour clock whatever the locale, as messengers show message times.
const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

function Time({ time }: { time: number }) {
  const full = fullFormat.format(time);
  return (
    <time dateTime={new Date(time).toISOString()} title={full}>
      {timeFormat.format(time)}
    </time>
  );
}

interface DeliveryProps {
  line: RoomLine;
  retry(id: number): Promise<void>;
  edit(id: number): void;
  /** Sending and sent sit at the end of the text's first line; a failure gets a row below it. */
  where: 'before' | 'after';
}

function DeliveryState({ line, retry, edit, where }: DeliveryProps) {
  if ((line.kind !== 'say' && line.kind !== 'do') || !line.delivery) return null;
  const d = line.delivery;
  if ((d.state === 'failed') !== (where === 'after')) return null;
  if (d.state === 'failed') {
    return (
      <span className="delivery failed" data-delivery="failed">
        <span role="status">Failed: {d.reason}</span>
        <button type="button" className="link-button" onClick={() => void retry(line.id)}>
          Retry
        </button>
        <button type="button" className="link-button" onClick={() => edit(line.id)}>
          Edit
        </button>
      </span>
    );
  }
  if (d.state === 'waiting') {
    return (
      <span
        className="delivery waiting"
        data-delivery="waiting"
        title="The server is not answering. This message goes out by itself, in order, once it does."
      >
        <svg className="clock" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path
            d="M8 4.5V8l2.5 1.5"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
            strokeLinecap="round"
          />
        </svg>{' '}
        waiting for the server
      </span>
    );
  }
  return (
    <span className={`delivery ${d.state}`} data-delivery={d.state}>
      {d.state === 'sending' ? 'sending…' : 'sent'}
    </span>
  );
}

interface LineProps {
  line: RoomLine;
  /** When the message vanishes (this window's clock), when the room's clock is known. */
  expiresAt?: number;
  me: string;
  grouped: boolean;
  retry(id: number): Promise<void>;
  edit(id: number): void;
  openHeld(id: number): void;
  /** Held messages of this sender that this line stands for (see heldRuns). */
  heldCount?: number;
}

const Line = memo(function Line({
  line,
  expiresAt,
  me,
  grouped,
  retry,
  edit,
  openHeld,
  heldCount = 1,
}: LineProps) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  // Fixed when the line appears: the fade then runs on its own, without re-rendering.
  const [fadeIn] = useState(() =>
    expiresAt === undefined ? undefined : expiresAt - FADE_MS - Date.now(),
  );
  const timed = (node: ReactNode) =>
    expiresAt === undefined ? (
      node
    ) : (
      <TimeLeft expiresAt={expiresAt} active={hovered || focused} onActive={setFocused}>
        {node}
      </TimeLeft>
    );
  const clockProps =
    expiresAt === undefined
      ? {}
      : {
          onPointerEnter: () => setHovered(true),
          onPointerLeave: () => setHovered(false),
          style: fadeIn === undefined ? undefined : { animationDelay: `${Math.round(fadeIn)}ms` },
        };
  const expiring = expiresAt === undefined ? '' : ' expiring';
  switch (line.kind) {
    case 'system':
      return (
        <li
          className={`line notice system ${line.level}${expiring}`}
          data-kind="system"
          data-level={line.level}
          {...clockProps}
        >
          {timed(<Time time={line.time} />)}
          <bdi dir="auto" className="text">
            <NoticeText text={line.text} />
          </bdi>
        </li>
      );
    case 'local':
      return (
        <li className={`line notice local ${line.level}`} data-kind="local">
          <Time time={line.time} />
          <bdi dir="auto" className="text">
            {line.text}
          </bdi>
        </li>
      );
    case 'held':
      return (
        <li className="line notice held" data-kind="held" data-held-count={heldCount}>
          <Time time={line.time} />
          <span className="text">
            <bdi>{line.from}</bdi> sent many messages that are slow to open;{' '}
            {heldCount === 1 ? 'this one opens' : `${heldCount} of them open`} by themselves in a
            while.{' '}
            <button type="button" className="link-button" onClick={() => openHeld(line.id)}>
              {heldCount === 1 ? 'Open it now' : 'Open one now'}
            </button>
          </span>
        </li>
      );
    case 'undecryptable':
      return (
        <li className="line notice undecryptable" data-kind="undecryptable">
          <Time time={line.time} />
          <span className="text">
            Could not decrypt a message from <bdi>{line.from}</bdi>
          </span>
        </li>
      );
    default: {
      const dm = dmTag(line);
      const mine = line.from === me;
      const tag = dm ? (
        <span className="dm-tag">
          {dm.prefix}
          <bdi>{dm.name}</bdi>
          {line.private && (
            <span
              className="dm-private"
              title="Sealed to the two members' keys: the room key does not open it"
            >
              {' '}
              · private
            </span>
          )}
        </span>
      ) : null;
      return (
        <li
          className={`line msg ${line.kind}${dm ? ' dm' : ''}${mine ? ' mine' : ''}${grouped ? ' grouped' : ''}${expiring}`}
          data-kind={line.kind}
          data-dm={dm ? 'true' : undefined}
          data-private={line.private ? 'true' : undefined}
          {...clockProps}
        >
          {line.kind === 'do' ? (
            <div className="bubble">
              <div className="head">
                {timed(<Time time={line.time} />)}
                {tag}
              </div>
              <DeliveryState line={line} retry={retry} edit={edit} where="before" />
              <div className="body">
                * <bdi className="sender">{line.from}</bdi> <MessageText text={line.text} />
              </div>
              <DeliveryState line={line} retry={retry} edit={edit} where="after" />
            </div>
          ) : (
            <div className="bubble">
              {grouped ? (
                <>
                  <span className="visually-hidden">
                    <bdi>{line.from}</bdi>:
                  </span>
                  {expiresAt !== undefined && (
                    <span className="grouped-time">{timed(<Time time={line.time} />)}</span>
                  )}
                </>
              ) : (
                <div className="head">
                  <bdi className="sender">{line.from}</bdi>
                  <ScriptMix name={line.from} />
                  {timed(<Time time={line.time} />)}
                  {tag}
                </div>
              )}
              <DeliveryState line={line} retry={retry} edit={edit} where="before" />
              <div className="body">
                <MessageText text={line.text} />
              </div>
              <DeliveryState line={line} retry={retry} edit={edit} where="after" />
            </div>
          )}
        </li>
      );
    }
  }
});

export function MessageList() {
  const lines = useChat((s) => s.lines);
  const dropped = useChat((s) => s.dropped);
  const me = useChat((s) => s.session?.user ?? '');
  const decrypting = useChat((s) => s.decrypting);
  const focused = useChat((s) => s.focused);
  const screenClears = useChat((s) => s.screenClears);
  const retry = useChat((s) => s.retry);
  const edit = useChat((s) => s.edit);
  const openHeld = useChat((s) => s.openHeld);
  const roomClock = useChat((s) => s.roomClock);
  const pane = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const { pinned, stick, onScroll } = useStickToBottom(pane, list);
  const seen = useRef(lines.length > 0 ? lines[lines.length - 1]!.id : 0);
  const [newCount, setNewCount] = useState(0);
  // Where the reader left off when the window went to the background.
  const [leftAt, setLeftAt] = useState<number>();
  const lastId = lines.length > 0 ? lines[lines.length - 1]!.id : 0;

  const lastIdNow = useRef(lastId);
  lastIdNow.current = lastId;
  // Only the moment the window loses focus matters, not the lines that arrive after it.
  useEffect(() => {
    if (!focused) setLeftAt(lastIdNow.current);
  }, [focused]);

  // Our own message just added: always go to the bottom, as after sending.
  const last = lines[lines.length - 1];
  const justSent =
    last !== undefined &&
    last.kind !== 'local' &&
    'delivery' in last &&
    last.delivery?.state === 'sending';
  if (justSent) pinned.current = true;

  // Scroll in the next frame: reading scrollHeight right after a commit forces a synchronous
  // layout per decrypted batch, which made backlog handling the longest task on the UI thread.
  useEffect(() => {
    const frame = requestAnimationFrame(stick);
    return () => cancelAnimationFrame(frame);
  }, [lines, stick]);

  useLayoutEffect(() => {
    if (pinned.current) {
      seen.current = lastId;
      setNewCount(0);
      return;
    }
    setNewCount(unreadAfter(lines, seen.current, me));
  }, [lines, lastId, me, pinned]);

  const toBottom = () => {
    pinned.current = true;
    seen.current = lastId;
    setNewCount(0);
    stick();
  };

  const items = [];
  let prev: RoomLine | undefined;
  const dividerAt = unreadDividerAt(lines, leftAt, me);
  // A ban arrives as a kick notice then a ban notice: the room sees the ban only.
  const banKicks = kicksFoldedIntoBans(lines);
  const held = heldRuns(lines);
  for (const line of lines) {
    if (banKicks.has(line.id) || held.folded.has(line.id)) continue;
    if (startsDay(prev, line)) {
      items.push(
        <li key={`day-${line.id}`} className="day">
          <span>{dayFormat.format(line.time)}</span>
        </li>,
      );
    }
    if (line.id === dividerAt) {
      items.push(
        <li key="unread" className="unread-divider" data-kind="unread">
          <span aria-hidden="true">New</span>
          <span className="visually-hidden">New messages since you were away</span>
        </li>,
      );
    }
    const grouped = continuesGroup(prev, line);
    const expiresAt = roomClock && line.kind !== 'local' ? expiryOf(line, roomClock) : undefined;
    items.push(
      <Line
        key={line.id}
        line={line}
        expiresAt={expiresAt}
        me={me}
        grouped={grouped}
        retry={retry}
        edit={edit}
        openHeld={openHeld}
        heldCount={held.counts.get(line.id)}
      />,
    );
    prev = line;
  }

  // Not live: a live log would read out every line of a backlog; the Announcer sums them up.
  return (
    <div className="messages-wrap">
      <div
        ref={pane}
        className="messages"
        role="log"
        aria-live="off"
        aria-busy={decrypting > 0}
        aria-label="Messages"
        tabIndex={0}
        onScroll={(e) => {
          if (onScroll(e.currentTarget) && newCount > 0) {
            seen.current = lastId;
            setNewCount(0);
          }
        }}
      >
        {dropped > 0 && (
          <p className="dropped" data-kind="dropped">
            {dropped.toLocaleString()} older line{dropped === 1 ? ' was' : 's were'} removed from
            this window to save memory.
          </p>
        )}
        <ol ref={list} className="message-items">
          {items}
        </ol>
      </div>
      {newCount > 0 && (
        <button type="button" className="new-pill" onClick={toBottom}>
          {newCount} new message{newCount === 1 ? '' : 's'} ↓
        </button>
      )}
      {/* Remade when the screen is cleared: what it last said goes with the lines. */}
      <Announcer key={screenClears} />
      {decrypting > 0 && (
        <p className="decrypting" role="status">
          Decrypting {decrypting} message{decrypting === 1 ? '' : 's'}…
        </p>
      )}
    </div>
  );
}
