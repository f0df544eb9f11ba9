import { decodeMemberKey } from './memberKey';
import { pgpWords } from '../words/pgpWordList';

/** What every member's client puts into the room safety code. */
export interface SafetyCodeInput {
  roomPassphrase: string;
  roomName: string;
  /** The server certificate's SHA-256, 'AB:CD:…' (64 hex digits); '' when the client has none. */
  certificate: string;
  /** Everyone in the room; `key` undefined for a member who published none (terminal client). */
  members: readonly { user: string; key?: string | undefined }[];
  /** The room's message lifetime in seconds, where the room has one. */
  lifetimeSeconds?: number | undefined;
}

/** Words in the code: 48 bits, read aloud in about five seconds. */
export const SAFETY_CODE_WORDS = 6;

const SALT = 'LocalChat room safety code';
const INFO = 'v1';

/**
 * Field tags of the input encoding, in the order they are written. A field added later takes the
 * next tag and is written only when present, so rooms without it keep their codes.
 */
const TAG = { passphrase: 1, roomName: 2, certificate: 3, members: 4, lifetime: 5 } as const;
const MEMBER_TAG = { name: 1, key: 2 } as const;

const utf8 = (text: string) => new TextEncoder().encode(text);

/** tag (1 octet) || length of value (4 octets, big-endian) || value. */
function field(tag: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + value.length);
  out[0] = tag;
  new DataView(out.buffer).setUint32(1, value.length);
  out.set(value, 5);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function certificateOctets(certificate: string): Uint8Array {
  const hex = certificate.replace(/[\s:]/g, '');
  if (hex === '') return new Uint8Array();
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) throw new Error('a certificate fingerprint is 64 hex digits');
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

/** The HKDF input key material: the fields above, each tag-length-value (see docs/security.md). */
export function safetyCodeMaterial(input: SafetyCodeInput): Uint8Array<ArrayBuffer> {
  const members = input.members
    .map((m) => ({ name: utf8(m.user), key: m.key ? decodeMemberKey(m.key) : new Uint8Array() }))
    .sort((a, b) => compareBytes(a.name, b.name))
    .map((m) => concat([field(MEMBER_TAG.name, m.name), field(MEMBER_TAG.key, m.key)]));
  const fields = [
    field(TAG.passphrase, utf8(input.roomPassphrase)),
    field(TAG.roomName, utf8(input.roomName)),
    field(TAG.certificate, certificateOctets(input.certificate)),
    field(TAG.members, concat(members)),
  ];
  if (input.lifetimeSeconds !== undefined)
    fields.push(field(TAG.lifetime, utf8(String(input.lifetimeSeconds))));
  return concat(fields);
}

/** HKDF-SHA-256 (WebCrypto) over the material, 6 octets, spelled in PGP words. */
export async function safetyCode(input: SafetyCodeInput): Promise<string[]> {
  const material = await crypto.subtle.importKey('raw', safetyCodeMaterial(input), 'HKDF', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(SALT), info: utf8(INFO) },
    material,
    SAFETY_CODE_WORDS * 8,
  );
  return pgpWords(new Uint8Array(bits));
}
