/** A member as the members extension lists them, with the key their session published. */
export interface ListedMember {
  user: string;
  key?: string | undefined;
}

/** Who holds which key: '' for a member who published none (the terminal client). */
export type KeyBasis = Record<string, string>;

export function keyBasis(members: readonly ListedMember[]): KeyBasis {
  return Object.fromEntries(members.map((m) => [m.user, m.key ?? '']));
}

/**
 * The names whose published key differs from the one this client saw them with before (a rejoin,
 * or someone else under that name), and the history with the current keys remembered.
 */
export function keyChanges(
  history: Readonly<Record<string, string>>,
  members: readonly ListedMember[],
): { history: Record<string, string>; changed: string[] } {
  const next = { ...history };
  const changed: string[] = [];
  for (const m of members) {
    if (!m.key) continue;
    const before = next[m.user];
    if (before !== undefined && before !== m.key) changed.push(m.user);
    next[m.user] = m.key;
  }
  return { history: next, changed };
}

/**
 * Why the safety code changed between two member sets, in words: "kim joined, leo left".
 * Undefined when the only change is keys published by members already listed: a LocalChat
 * client publishes right after its join, which was announced a moment before.
 */
export function codeChangeReason(before: KeyBasis, after: KeyBasis): string | undefined {
  const reasons: string[] = [];
  let published = false;
  for (const user of Object.keys(after).sort()) {
    if (!(user in before)) reasons.push(`${user} joined`);
    else if (before[user] === '' && after[user] !== '') published = true;
    else if (before[user] !== after[user]) reasons.push(`${user}’s key changed`);
  }
  for (const user of Object.keys(before).sort()) if (!(user in after)) reasons.push(`${user} left`);
  if (reasons.length > 0) return reasons.join(', ');
  return published ? undefined : 'the room’s rules changed';
}
