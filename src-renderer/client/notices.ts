import { NOTICE_NAME } from '../../src-shared/protocol/notice-names';

/** A line as far as notice folding sees it. */
export interface NoticeLike {
  kind: string;
  id: number;
  text?: string;
}

const KICK = new RegExp(`^User ${NOTICE_NAME} kicked ${NOTICE_NAME} from the room$`);
/** How far after a kick notice its ban notice may come (other lines can arrive in between). */
const LOOKAHEAD = 5;

/**
 * Ids of kick notices followed by the ban notice for the same person. The wire announces a ban as
 * "kicked" then "banned" (the stock client shows both); the room sees them as one notice.
 */
export function kicksFoldedIntoBans(lines: readonly NoticeLike[]): Set<number> {
  const folded = new Set<number>();
  lines.forEach((line, i) => {
    if (line.kind !== 'system' || line.text === undefined) return;
    const match = KICK.exec(line.text);
    if (!match) return;
    const ban = `User ${match[1]} banned ${match[2]} from the room`;
    for (const next of lines.slice(i + 1, i + 1 + LOOKAHEAD)) {
      if (next.kind === 'system' && next.text === ban) {
        folded.add(line.id);
        return;
      }
    }
  });
  return folded;
}
