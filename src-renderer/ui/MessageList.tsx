import { memo, useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { dmTag } from '../client/delivery';
import { continuesGroup, startsDay } from '../client/grouping';
import { splitLinks } from '../client/links';
import { kicksFoldedIntoBans } from '../client/notices';
import { useChat, useHost } from '../state/context';
import { Announcer } from './Announcer';
import './MessageList.css';
import type { RoomLine } from '../state/store';

// HH:MM on a 24-hour clock whatever the locale, as messengers show message times.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });

/** Longer texts are folded: one message must not fill the pane or make layout slow. */
const FOLD_CHARS = 1_500;
const FOLD_LINES = 12;
const FOLDED_CHARS = 600;
const FOLDED_LINES = 6;

function Time({ time }: { time: number }) {
  const full = fullFormat.format(time);
  return (
    <time dateTime={new Date(time).toISOString()} title={full}>
      {timeFormat.format(time)}
    </time>
  );
}

function folded(text: string): string | undefined {
  if (text.length <= FOLD_CHARS) {
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (++lines > FOLD_LINES) break;
    if (lines <= FOLD_LINES) return undefined;
  }
  let cut = Math.min(text.length, FOLDED_CHARS);
  let nl = -1;
  for (let n = 0; n < FOLDED_LINES; n++) {
    nl = text.indexOf('\n', nl + 1);
    if (nl === -1 || nl >= cut) break;
    if (n === FOLDED_LINES - 1) cut = nl;
  }
  return text.slice(0, cut);
}

/** Message text: bidi-isolated, links clickable, long texts folded behind "Show more". */
function MessageText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const host = useHost();
  const short = folded(text);
  const shown = open || short === undefined ? text : short;
  const onLink = (e: MouseEvent<HTMLAnchorElement>, url: string) => {
    if (!host.openExternal) return;
    e.preventDefault();
    void host.openExternal(url);
  };
  return (
    <>
      <bdi dir="auto" className="text">
        {splitLinks(shown).map((part, i) =>
          'url' in part ? (
            <a key={i} href={part.url} target="_blank" rel="noopener noreferrer" onClick={(e) => onLink(e, part.url)}>
              {part.url}
            </a>
          ) : (
            part.text
          ),
        )}
        {short !== undefined && !open && '…'}
      </bdi>
      {short !== undefined && (
        <button type="button" className="link-button fold" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : `Show more (${text.length.toLocaleString()} characters)`}
        </button>
      )}
    </>
  );
}

interface DeliveryProps {
  line: RoomLine;
  retry(id: number): void;
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
        <button type="button" className="link-button" onClick={() => retry(line.id)}>
          Retry
        </button>
        <button type="button" className="link-button" onClick={() => edit(line.id)}>
          Edit
        </button>
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
  me: string;
  grouped: boolean;
  retry(id: number): void;
  edit(id: number): void;
}

const Line = memo(function Line({ line, me, grouped, retry, edit }: LineProps) {
  switch (line.kind) {
    case 'system':
      return (
        <li className={`line notice system ${line.level}`} data-kind="system" data-level={line.level}>
          <Time time={line.time} />
          <bdi dir="auto" className="text">
            {line.text}
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
        </span>
      ) : null;
      return (
        <li
          className={`line msg ${line.kind}${dm ? ' dm' : ''}${mine ? ' mine' : ''}${grouped ? ' grouped' : ''}`}
          data-kind={line.kind}
          data-dm={dm ? 'true' : undefined}
        >
          {line.kind === 'do' ? (
            <div className="bubble">
              <div className="head">
                <Time time={line.time} />
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
                <span className="visually-hidden">
                  <bdi>{line.from}</bdi>:
                </span>
              ) : (
                <div className="head">
                  <bdi className="sender">{line.from}</bdi>
                  <Time time={line.time} />
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

const fromOther = (line: RoomLine | undefined, me: string) =>
  line !== undefined && (line.kind === 'say' || line.kind === 'do' || line.kind === 'undecryptable') && line.from !== me;

export function MessageList() {
  const lines = useChat((s) => s.lines);
  const dropped = useChat((s) => s.dropped);
  const me = useChat((s) => s.session?.user ?? '');
  const decrypting = useChat((s) => s.decrypting);
  const focused = useChat((s) => s.focused);
  const screenClears = useChat((s) => s.screenClears);
  const retry = useChat((s) => s.retry);
  const edit = useChat((s) => s.edit);
  const pane = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
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
  const justSent = last !== undefined && last.kind !== 'local' && 'delivery' in last && last.delivery?.state === 'sending';
  if (justSent) pinned.current = true;

  // Scroll in the next frame: reading scrollHeight right after a commit forces a synchronous
  // layout per decrypted batch, which made backlog handling the longest task on the UI thread.
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const el = pane.current;
      if (el && pinned.current) el.scrollTop = el.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [lines]);

  useLayoutEffect(() => {
    if (pinned.current) {
      seen.current = lastId;
      setNewCount(0);
      return;
    }
    let count = 0;
    for (let i = lines.length - 1; i >= 0 && lines[i]!.id > seen.current; i--) if (fromOther(lines[i], me)) count++;
    setNewCount(count);
  }, [lines, lastId, me]);

  const toBottom = () => {
    const el = pane.current;
    pinned.current = true;
    seen.current = lastId;
    setNewCount(0);
    if (el) el.scrollTop = el.scrollHeight;
  };

  const items = [];
  let prev: RoomLine | undefined;
  let divided = leftAt === undefined || leftAt === lastId;
  // A ban arrives as a kick notice then a ban notice: the room sees the ban only.
  const banKicks = kicksFoldedIntoBans(lines);
  for (const line of lines) {
    if (banKicks.has(line.id)) continue;
    if (startsDay(prev, line)) {
      items.push(
        <li key={`day-${line.id}`} className="day">
          <span>{dayFormat.format(line.time)}</span>
        </li>,
      );
    }
    if (!divided && leftAt !== undefined && line.id > leftAt && fromOther(line, me)) {
      divided = true;
      items.push(
        <li key="unread" className="unread-divider" data-kind="unread">
          <span aria-hidden="true">New</span>
          <span className="visually-hidden">New messages since you were away</span>
        </li>,
      );
    }
    const grouped = continuesGroup(prev, line);
    items.push(<Line key={line.id} line={line} me={me} grouped={grouped} retry={retry} edit={edit} />);
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
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          if (pinned.current && newCount > 0) {
            seen.current = lastId;
            setNewCount(0);
          }
        }}
      >
        {dropped > 0 && (
          <p className="dropped" data-kind="dropped">
            {dropped.toLocaleString()} older line{dropped === 1 ? ' was' : 's were'} removed from this window to save
            memory.
          </p>
        )}
        <ol className="message-items">{items}</ol>
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
