/** A line as far as unread counting sees it. */
export interface Readable {
  kind: string;
  id: number;
  from?: string;
}

/** Lines someone else wrote: what "new messages" counts (not notices, not our own lines). */
export function isFromOther(line: Readable | undefined, me: string): boolean {
  return (
    line !== undefined &&
    (line.kind === 'say' || line.kind === 'do' || line.kind === 'undecryptable') &&
    line.from !== me
  );
}

/** Others' lines after `seenId`, counted from the end (lines are in id order). */
export function unreadAfter(lines: readonly Readable[], seenId: number, me: string): number {
  let count = 0;
  for (let i = lines.length - 1; i >= 0 && lines[i]!.id > seenId; i--)
    if (isFromOther(lines[i], me)) count++;
  return count;
}

/**
 * The id of the line the "New" divider goes above: the first line from someone else after
 * `leftAtId`, the last line there was when the window went to the background. None while the
 * reader was here, or when nothing new came from others.
 */
export function unreadDividerAt(
  lines: readonly Readable[],
  leftAtId: number | undefined,
  me: string,
): number | undefined {
  if (leftAtId === undefined) return undefined;
  return lines.find((line) => line.id > leftAtId && isFromOther(line, me))?.id;
}
