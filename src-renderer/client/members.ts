import { NOTICE_NAME, nameInNotice } from '../../src-shared/protocol/notice-names';

/** Membership changes announced by SYSTEM notices, for servers without the members extension. */
export type MembershipChange = { user: string; present: boolean };

const PATTERNS: { re: RegExp; present: boolean; group: number }[] = [
  { re: new RegExp(`^User ${NOTICE_NAME} joined the room$`), present: true, group: 1 },
  { re: new RegExp(`^User ${NOTICE_NAME} left the room$`), present: false, group: 1 },
  {
    re: new RegExp(`^User ${NOTICE_NAME} kicked ${NOTICE_NAME} from the room$`),
    present: false,
    group: 2,
  },
  {
    re: new RegExp(`^User ${NOTICE_NAME} banned ${NOTICE_NAME} from the room$`),
    present: false,
    group: 2,
  },
  // Admission: a newcomer waits in the lobby (listed apart), then joins or is turned away.
  { re: new RegExp(`^User ${NOTICE_NAME} is waiting to join$`), present: true, group: 1 },
  {
    re: new RegExp(`^User ${NOTICE_NAME} did not admit ${NOTICE_NAME}$`),
    present: false,
    group: 2,
  },
];

export function membershipChange(systemText: string): MembershipChange | undefined {
  for (const { re, present, group } of PATTERNS) {
    const match = re.exec(systemText.trim());
    if (match?.[group]) return { user: nameInNotice(match[group]), present };
  }
  return undefined;
}

export interface Member {
  user: string;
  owner: boolean;
}

export function applyMembershipChange(
  members: readonly Member[],
  change: MembershipChange,
): Member[] {
  const others = members.filter((m) => m.user !== change.user);
  if (!change.present) return others;
  const known = members.find((m) => m.user === change.user);
  return [...others, known ?? { user: change.user, owner: false }].sort((a, b) =>
    a.user.localeCompare(b.user),
  );
}
