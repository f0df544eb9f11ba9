/** Canonical form of a SHA-256 certificate fingerprint: upper-case hex pairs joined by colons. */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new Error('not a SHA-256 fingerprint');
  return hex.match(/../g)!.join(':');
}
