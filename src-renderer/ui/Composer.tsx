import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useChat } from '../state/context';

/** Keeps even 3-byte UTF-8 text, once encrypted and base64-encoded, under the server's limit. */
const MAX_MESSAGE_CHARS = 10_000;

/** The message box: Enter sends, Up/Down walk the history like the stock client. */
export function Composer() {
  const draft = useChat((s) => s.draft);
  const setDraft = useChat((s) => s.setDraft);
  const submit = useChat((s) => s.submit);
  const history = useChat((s) => s.history);
  const input = useRef<HTMLInputElement>(null);
  const cursor = useRef<number | null>(null);

  const empty = draft === '';
  // Back to the box after sending and after a button (e.g. a participant's DM) filled it.
  useEffect(() => {
    input.current?.focus();
  }, [empty]);

  function send() {
    const text = draft;
    if (text.trim() === '') return;
    cursor.current = null;
    setDraft('');
    void submit(text);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      send();
    } else if (e.key === 'ArrowUp' && history.length > 0) {
      e.preventDefault();
      const next = cursor.current === null ? history.length - 1 : Math.max(0, cursor.current - 1);
      cursor.current = next;
      setDraft(history[next] ?? '');
    } else if (e.key === 'ArrowDown' && cursor.current !== null) {
      e.preventDefault();
      const next = cursor.current + 1;
      if (next >= history.length) {
        cursor.current = null;
        setDraft('');
      } else {
        cursor.current = next;
        setDraft(history[next] ?? '');
      }
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <input
        ref={input}
        className="message-input"
        aria-label="Message"
        placeholder="Message, /me action, /msg user text, /help"
        value={draft}
        autoFocus
        autoComplete="off"
        spellCheck
        maxLength={MAX_MESSAGE_CHARS}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="primary">
        Send
      </button>
    </form>
  );
}
