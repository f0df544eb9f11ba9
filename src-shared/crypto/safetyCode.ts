import { decodeMemberKey } from './memberKey';
import { certificateOctets, concat, field, hkdfWords, utf8 } from './fields';

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

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
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
  return hkdfWords(safetyCodeMaterial(input), SALT, INFO, SAFETY_CODE_WORDS);
}
