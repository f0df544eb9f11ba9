import type { ChatLine } from './lines';
import { PRIVATE_NOTIFICATION } from './notifier';

/**
 * What a notification about new messages says. By default nothing of the room: no text, no
 * name, not even the room's, since the operating system may keep or show it on a locked screen.
 * Only when the member turned on "Show message text in notifications" does it carry the text.
 */
export function notificationFor(
  lines: readonly ChatLine[],
  room: string,
  showText: boolean,
): { title: string; body: string } {
  if (!showText) {
    return {
      title: 'LocalChat',
      body: lines.length === 1 ? PRIVATE_NOTIFICATION : `${lines.length} new messages in your room`,
    };
  }
  const latest = lines.at(-1)!;
  const text =
    latest.kind === 'say'
      ? latest.text
      : latest.kind === 'do'
        ? `* ${latest.from} ${latest.text}`
        : latest.kind === 'system'
          ? latest.text
          : 'A message that could not be decrypted';
  const from = latest.kind === 'system' ? 'SYSTEM' : latest.from;
  const direct = latest.kind !== 'system' && latest.to !== undefined;
  return {
    title: `${from}${direct ? ' (direct)' : ''} in ${room}`,
    body: lines.length === 1 ? text : `${text} (and ${lines.length - 1} more)`,
  };
}
