import type { ChatLine } from './lines';

/** Longest message text read out; the rest is in the log. */
const SPOKEN_CHARS = 160;

const cut = (text: string) =>
  text.length > SPOKEN_CHARS ? `${text.slice(0, SPOKEN_CHARS)}…` : text;

function spoken(line: ChatLine): string {
  switch (line.kind) {
    case 'system':
      return line.text;
    case 'undecryptable':
      return `Could not decrypt a message from ${line.from}`;
    case 'held':
      return `${line.from} sent many messages that are slow to open`;
    case 'do':
      return `${line.to !== undefined ? 'Direct: ' : ''}* ${line.from} ${cut(line.text)}`;
    case 'say':
      return `${line.to !== undefined ? `Direct message from ${line.from}` : line.from}: ${cut(line.text)}`;
  }
}

/**
 * What a screen reader is told about the lines after `afterId`: one message is read out, several
 * are summed up, so a backlog or a busy room does not flood the listener. Our own lines are not
 * announced (their delivery state is), nor are this window's local lines.
 */
export function announcement(
  lines: readonly (ChatLine | { kind: 'local'; id: number })[],
  afterId: number,
  me: string,
): string | undefined {
  const fresh: ChatLine[] = [];
  for (let i = lines.length - 1; i >= 0 && lines[i]!.id > afterId; i--) {
    const line = lines[i]!;
    if (line.kind === 'local') continue;
    if (line.kind !== 'system' && line.from === me) continue;
    fresh.push(line);
  }
  const latest = fresh[0];
  if (!latest) return undefined;
  if (fresh.length === 1) return spoken(latest);
  const from = latest.kind === 'system' ? 'the room' : latest.from;
  return `${fresh.length} new messages, the latest from ${from}`;
}
