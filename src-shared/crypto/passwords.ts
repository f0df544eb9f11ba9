/** The stock client's password alphabet: 16 of these is ~82.7 bits. */
export const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A password of `length` characters from {@link PASSWORD_ALPHABET}, drawn from the CSPRNG.
 * Bytes >= 252 (the largest multiple of 36 that fits in a byte) are rejected, so every
 * character is exactly equally likely; a plain `byte % 36` would favour the first 4 characters.
 */
export function generatePassword(length = 16): string {
  if (!Number.isInteger(length) || length < 1 || length > 1024) {
    throw new RangeError('Password length must be an integer from 1 to 1024');
  }
  const size = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % size);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte >= limit) continue;
      out += PASSWORD_ALPHABET[byte % size];
      if (out.length === length) break;
    }
  }
  return out;
}
