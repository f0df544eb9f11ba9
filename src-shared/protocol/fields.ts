import { z } from 'zod';
import { LIMITS } from './limits';

// C0, DEL and C1 controls plus line/paragraph separators: they corrupt terminals and logs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const printable = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARACTERS.test(s), 'must not contain control characters');

export const roomName = printable(LIMITS.roomNameLength);
export const userName = printable(LIMITS.userNameLength);
export const password = printable(LIMITS.passwordLength);
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
