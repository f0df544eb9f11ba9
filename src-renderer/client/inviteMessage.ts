import { shortFingerprint, type Invite } from '../../src-shared/invite';

/**
 * The ready-to-paste message: one link, what it is for, and the start of the certificate
 * fingerprint, which the browser's certificate warning lets the friend compare.
 */
export function inviteMessage(invite: Invite, link: string, kind: 'web' | 'app'): string {
  const lines = [
    `Join my LocalChat room “${invite.room}” as ${invite.user}:`,
    link,
    kind === 'web'
      ? 'Open it in a browser (or paste it into LocalChat Desktop).'
      : 'Open it with LocalChat Desktop.',
  ];
  if (invite.fingerprint) {
    lines.push(
      kind === 'web'
        ? `Your browser will warn about the certificate: its SHA-256 fingerprint must begin with ${shortFingerprint(invite.fingerprint)}.`
        : `The server’s certificate fingerprint begins with ${shortFingerprint(invite.fingerprint)}.`,
    );
  }
  lines.push(
    invite.roomPass === undefined
      ? `The link works once: it holds a one-time password, not the room’s key, which ${invite.from ?? 'the inviter'} hands over after you join.`
      : kind === 'web'
        ? 'The link holds the room’s key: please don’t pass it on. Your browser saves it in its history and session files on disk, even though the page then removes it from the address bar: use a private window on a shared computer, and clear it from the history after leaving.'
        : 'The link holds the room’s key: please don’t pass it on.',
  );
  return lines.join('\n');
}
