import { z } from 'zod';
import { LIMITS } from './limits';
import { hasBlankOrInvisible, hasMarkOnMappedBase, isReservedName } from './names';

// C0, DEL and C1 controls plus line/paragraph separators: they corrupt terminals and logs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Half of a surrogate pair on its own: JSON can carry it, UTF-8 cannot. SQLite would keep its
 * bytes and hand them back as U+FFFD, so "x\ud800" and "x\ud801" would be two accounts that look
 * alike, and json_array would copy the bytes into answers that json.loads refuses.
 */
const LONE_SURROGATE = /\p{Cs}/u;

const printable = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters')
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text');

/** Whitespace other than single inner spaces: "alice " and "alice\u00a0b" look like others. */
const ODD_WHITESPACE = /^\s|\s$|\s\s|[^\S ]/;

export const roomName = printable(LIMITS.roomNameLength);
/**
 * A user name, in NFC (composed and decomposed "é" are one name). Whether it can be mistaken
 * for another member's depends on the room: see `confusableWith` in names.ts.
 */
export const userName = z
  .string()
  .transform((s) => s.normalize('NFC'))
  .pipe(
    printable(LIMITS.userNameLength)
      .refine((s) => !hasBlankOrInvisible(s), 'must not contain invisible or blank characters')
      .refine(
        (s) => !hasMarkOnMappedBase(s),
        'must not put a combining mark on a letter that looks like another',
      )
      .refine(
        (s) => !ODD_WHITESPACE.test(s),
        'must not start or end with a space, or have odd spaces',
      ),
  );
/** A direct message's recipient: never a name the wire uses as a marker (see names.ts). */
export const recipientName = userName.refine((s) => !isReservedName(s), 'is a reserved name');
export const password = printable(LIMITS.passwordLength);
/** A password a client chooses for itself (setPassword): at least as strong as a generated one. */
export const ownPassword = password.refine(
  (s) => s.length >= LIMITS.ownPasswordMinLength,
  `must be at least ${LIMITS.ownPasswordMinLength} characters`,
);
export const sessionKey = printable(LIMITS.sessionKeyLength);

/** Opaque ciphertext: base64, whitespace allowed (the stock client wraps lines at 76). */
export const ciphertext = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.messageLength, `must be at most ${LIMITS.messageLength} characters`)
  .regex(/^[A-Za-z0-9+/=\s]+$/, 'must be base64');

/** The stock client sends numbers, the seed document strings: accept both. */
export const messageId = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a message id')
    .transform(Number),
]);

/**
 * A client's idempotency key for one message (the `sendkey` extension): random, base64url. The
 * server keeps it with the message, so a send retried after a lost answer is stored once.
 */
export const sendKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16 to 64 characters of A-Z, a-z, 0-9, _ and -');
