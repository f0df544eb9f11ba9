import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { parseCommand } from '../client/commands';
import { useChat } from '../state/context';
import { tooLongToSend } from '../state/slices/composer';

/** Rows the box grows to before it scrolls. */
const MAX_ROWS = 6;

/**
 * The message box: Enter sends, Shift+Enter starts a new line, Up/Down walk the history like the
 * stock client (Up only from the first line, Down only from the last).
 */
export function Composer() {
  const draft = useChat((s) => s.draft);
  const setDraft = useChat((s) => s.setDraft);
  const submit = useChat((s) => s.submit);
  const history = useChat((s) => s.history);
  const me = useChat((s) => s.session?.user ?? '');
  const input = useRef<HTMLTextAreaElement>(null);
  const cursor = useRef<number | null>(null);
  const [error, setError] = useState<string>();
  const caution = useChat((s) => s.dmCaution);

  const empty = draft === '';
  // Back to the box after sending and after a button (e.g. a participant's DM) filled it.
  useEffect(() => {
    input.current?.focus();
  }, [empty]);

  function send() {
    const text = draft;
    if (text.trim() === '') return;
    const parsed = parseCommand(text);
    // Refused here, before anything is sent, and the text stays in the box to shorten.
    if (parsed.ok && tooLongToSend(me, parsed.command)) {
      setError(
        'Too long to send: the server takes about 48 KB of text per message. Shorten it or split it up.',
      );
      return;
    }
    setError(undefined);
    cursor.current = null;
    setDraft('');
    void submit(text);
  }

  function recall(next: number | null) {
    cursor.current = next;
    setDraft(next === null ? '' : (history[next] ?? ''));
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    const box = e.currentTarget;
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (
      e.key === 'ArrowUp' &&
      history.length > 0 &&
      !box.value.slice(0, box.selectionStart).includes('\n')
    ) {
      e.preventDefault();
      recall(cursor.current === null ? history.length - 1 : Math.max(0, cursor.current - 1));
    } else if (
      e.key === 'ArrowDown' &&
      cursor.current !== null &&
      !box.value.slice(box.selectionEnd).includes('\n')
    ) {
      e.preventDefault();
      const next = cursor.current + 1;
      recall(next >= history.length ? null : next);
    }
  }

  let rows = 1;
  for (let i = draft.indexOf('\n'); i !== -1 && rows < MAX_ROWS; i = draft.indexOf('\n', i + 1))
    rows++;

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {error && (
        <p className="composer-error" role="alert" id="composer-error">
          {error}
        </p>
      )}
      {caution && !error && (
        <p
          className="composer-error"
          role="alert"
          id="composer-caution"
          data-caution={caution.kind}
        >
          {caution.message}
        </p>
      )}
      <div className="composer-row">
        <textarea
          ref={input}
          className="message-input"
          aria-label="Message"
          aria-describedby={
            error ? 'composer-error' : caution ? 'composer-caution composer-hint' : 'composer-hint'
          }
          placeholder="Message, or /help"
          value={draft}
          rows={rows}
          autoFocus
          autoComplete="off"
          spellCheck
          onChange={(e) => {
            if (error) setError(undefined);
            setDraft(e.target.value);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="primary">
          Send
        </button>
      </div>
      <p className="visually-hidden" id="composer-hint">
        Enter sends, Shift+Enter starts a new line, Up and Down recall what you typed.
      </p>
    </form>
  );
}
