import { useLayoutEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { foldedText } from '../client/folding';
import { splitLinks } from '../client/links';
import { breakLongRuns, INLINE_CHARS, textRows } from '../client/text-pieces';
import { useHost } from '../state/context';
import { useDialogFocus } from './useDialogFocus';
import './MessageText.css';

/** Text with a break opportunity inside every long run, so that layout never meets one huge word. */
function Breakable({ text }: { text: string }) {
  const pieces = breakLongRuns(text);
  if (pieces.length === 1) return <>{text}</>;
  const out: ReactNode[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) out.push(<wbr key={`b${i}`} />);
    out.push(piece);
  });
  return <>{out}</>;
}

/**
 * Message text: bidi-isolated, links clickable, long texts folded behind "Show more", and texts
 * too long to lay out at once in a message opened in a viewer that draws only what is in sight.
 */
export function MessageText({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const host = useHost();
  const short = foldedText(text);
  const inline = text.length <= INLINE_CHARS;
  const shown = open && inline ? text : (short ?? text);
  const onLink = (e: MouseEvent<HTMLAnchorElement>, url: string) => {
    if (!host.openExternal) return;
    e.preventDefault();
    void host.openExternal(url);
  };
  const count = text.length.toLocaleString();
  return (
    <>
      <bdi dir="auto" className="text">
        {splitLinks(shown).map((part, i) =>
          'url' in part ? (
            <a
              key={i}
              href={part.url}
              target="_blank"
              rel="noopener noreferrer"
              onClick={(e) => onLink(e, part.url)}
            >
              <Breakable text={part.url} />
            </a>
          ) : (
            <Breakable key={i} text={part.text} />
          ),
        )}
        {short !== undefined && !(open && inline) && '…'}
      </bdi>
      {short !== undefined && (
        <button
          type="button"
          className="link-button fold"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {inline
            ? open
              ? 'Show less'
              : `Show more (${count} characters)`
            : `View whole text (${count} characters)`}
        </button>
      )}
      {/* Out of the message list, whose stacking would put the list above the dialog. */}
      {open &&
        !inline &&
        createPortal(<TextViewer text={text} onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}

/** Pixels per row of the viewer (its CSS line height). */
const ROW_PX = 20;
/** Rows drawn beyond those in sight, above and below, so that scrolling shows no gap. */
const OVERSCAN = 20;

/**
 * A very long text, read in a dialog: cut into rows as wide as the viewer, and only the rows in
 * sight are in the page, so a 250,000-character message costs what a screenful does.
 */
function TextViewer({ text, onClose }: { text: string; onClose(): void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const onKeyDown = useDialogFocus(dialog, onClose);
  const [size, setSize] = useState({ rowChars: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);
  useLayoutEffect(() => {
    const element = body.current;
    if (!element || !probe.current) return;
    const measure = () => {
      const charWidth = probe.current!.getBoundingClientRect().width / 10 || 8;
      setSize({
        rowChars: Math.max(16, Math.floor((element.clientWidth - 16) / charWidth)),
        height: element.clientHeight,
      });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const rows = useMemo(
    () => (size.rowChars ? textRows(text, size.rowChars) : []),
    [text, size.rowChars],
  );
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + size.height) / ROW_PX) + OVERSCAN);
  return (
    <div className="backdrop" onKeyDown={onKeyDown}>
      <div
        ref={dialog}
        className="dialog text-viewer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="text-viewer-title"
      >
        <h2 id="text-viewer-title">Whole message ({text.length.toLocaleString()} characters)</h2>
        <div
          ref={body}
          className="text-viewer-body"
          tabIndex={0}
          role="document"
          aria-label="Message text"
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        >
          <span ref={probe} className="text-viewer-probe" aria-hidden="true">
            MMMMMMMMMM
          </span>
          <div className="text-viewer-rows" style={{ height: rows.length * ROW_PX }}>
            {rows.slice(first, last).map((row, i) => (
              <div
                key={first + i}
                className="text-viewer-row"
                style={{ top: (first + i) * ROW_PX }}
              >
                {row}
              </div>
            ))}
          </div>
        </div>
        <div className="row end">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
