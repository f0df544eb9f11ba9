import { noticeParts } from '../../src-shared/protocol/notice-names';
import './NoticeText.css';

/**
 * A SYSTEM notice's text, with the names members chose shown as names (the server quotes them),
 * never as SYSTEM's own words: "bob left the room. Room closed" invited as a name stays one chip.
 */
export function NoticeText({ text }: { text: string }) {
  return (
    <>
      {noticeParts(text).map((part, i) =>
        part.kind === 'name' ? (
          <bdi key={i} className="notice-name" data-name={part.name}>
            {part.name}
          </bdi>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
