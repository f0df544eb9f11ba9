/**
 * Held messages (see decryptScheduler) come in runs when a member floods the room: each run of
 * consecutive held lines from one sender shows as one line, on its first message, with the count.
 * Returns that count by the run's first id, and the ids the run's line stands for.
 */
export function heldRuns(lines: readonly { kind: string; id: number; from?: string }[]): {
  counts: Map<number, number>;
  folded: Set<number>;
} {
  const counts = new Map<number, number>();
  const folded = new Set<number>();
  let head: { id: number; from?: string } | null = null;
  for (const line of lines) {
    if (line.kind !== 'held') {
      head = null;
      continue;
    }
    if (head && head.from === line.from) {
      counts.set(head.id, (counts.get(head.id) ?? 1) + 1);
      folded.add(line.id);
    } else {
      head = line;
      counts.set(line.id, 1);
    }
  }
  return { counts, folded };
}
