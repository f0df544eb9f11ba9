import { InviteError } from './errors';

/** A SHA-256 certificate fingerprint is 32 octets: 64 hex digits. */
const HEX_DIGITS = /^[0-9A-F]{64}$/;

/**
 * 'ab:cd:…', 'ABCD…' or 'ab cd …' -> 'AB:CD:…', the form Node's `fingerprint256` and browsers
 * show. Throws InviteError unless it is exactly 64 hex digits.
 */
export function normaliseFingerprint(text: string): string {
  const digits = text.replace(/[\s:]/g, '').toUpperCase();
  if (!HEX_DIGITS.test(digits)) {
    throw new InviteError(
      'A certificate fingerprint must be a SHA-256 fingerprint: 64 hex digits, e.g. AB:CD:…',
    );
  }
  return digits.match(/../g)!.join(':');
}

export function isFingerprint(text: string): boolean {
  try {
    normaliseFingerprint(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether two fingerprints name the same certificate, whatever their spelling; invalid ones never match. */
export function fingerprintsEqual(a: string, b: string): boolean {
  return (
    isFingerprint(a) && isFingerprint(b) && normaliseFingerprint(a) === normaliseFingerprint(b)
  );
}

/** Octets of the short form: 64 bits, far beyond making a look-alike certificate by trial. */
const SHORT_OCTETS = 8;

/**
 * The first octets of a fingerprint, 'AB:CD:…', for people to compare with the SHA-256
 * fingerprint a browser's certificate viewer shows; the app pins the whole one.
 */
export function shortFingerprint(text: string): string {
  return normaliseFingerprint(text).split(':').slice(0, SHORT_OCTETS).join(':');
}
