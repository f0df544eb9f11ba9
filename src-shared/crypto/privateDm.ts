import { LIMITS } from '../protocol/limits';
import { fromBase64, toWrappedBase64 } from './base64';
import { decodeMemberKey, encodeMemberKey, MEMBER_KEY_OCTETS } from './memberKey';

/**
 * Private direct messages between LocalChat members (issue 24), sealed to both members' keys.
 *
 * Static-static X25519: the sender's member key with the recipient's gives the same secret as the
 * recipient's with the sender's, so one ciphertext opens for exactly those two keys' holders (the
 * sender's own copy too) and for nobody holding only the room passphrase or the server's memory.
 * Opening it also proves it was made by the holder of the sender key it names (or the recipient).
 *
 * Octets, carried base64 (76-character lines, like the stock client's OpenPGP) as a DM's `msg`:
 *   "LCDM" | 0x01 | sender key (32) | recipient key (32) | salt (16) | iv (12) | AES-GCM output
 * key  = HKDF-SHA-256(ikm = X25519 secret, salt, info = INFO | sender key | recipient key), 256 bits
 * AES-256-GCM with a 128-bit tag; additional data = everything before the ciphertext (the header).
 * The first octet ("L", 0x4C) has its high bit clear, so no OpenPGP packet starts like this.
 */
export const PRIVATE_DM_MAGIC = Uint8Array.from([0x4c, 0x43, 0x44, 0x4d, 0x01]);
export const PRIVATE_DM_INFO = 'LocalChat private DM v1';
const SALT_OCTETS = 16;
const IV_OCTETS = 12;
const TAG_OCTETS = 16;
const HEADER_OCTETS = PRIVATE_DM_MAGIC.length + 2 * MEMBER_KEY_OCTETS + SALT_OCTETS + IV_OCTETS;

/** The base64 prefix every private DM starts with ("LCDM" + version 1 = "TENETQ"). */
const PREFIX = 'TENETQ';

/** Whether a message claims to be a private DM (cheap: looks at its first characters only). */
export function isPrivateDm(msg: string): boolean {
  return msg.startsWith(PREFIX);
}

/** WebCrypto's key type, named so in both the DOM and Node libraries. */
type CryptoKey = Parameters<typeof crypto.subtle.deriveBits>[1];

export interface PrivateDmKeys {
  /** Our X25519 private key (WebCrypto, usage deriveBits). */
  privateKey: CryptoKey;
  /** Our member key in its wire spelling. */
  ownKey: string;
}

async function aesKey(
  privateKey: CryptoKey,
  peer: Uint8Array<ArrayBuffer>,
  sender: Uint8Array,
  recipient: Uint8Array,
  salt: Uint8Array<ArrayBuffer>,
  usage: 'encrypt' | 'decrypt',
): Promise<CryptoKey> {
  const peerKey = await crypto.subtle.importKey('raw', peer, { name: 'X25519' }, false, []);
  const secret = await crypto.subtle.deriveBits(
    { name: 'X25519', public: peerKey },
    privateKey,
    256,
  );
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const info = new Uint8Array([
    ...new TextEncoder().encode(PRIVATE_DM_INFO),
    ...sender,
    ...recipient,
  ]);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/**
 * Seals `plaintext` (the stock client's JSON payload) from us to `recipientKey`. `random` fills the
 * salt and iv; only tests pass their own, to reproduce the documented vectors.
 */
export async function sealPrivateDm(
  plaintext: string,
  keys: PrivateDmKeys,
  recipientKey: string,
  random: (octets: Uint8Array<ArrayBuffer>) => void = (o) => crypto.getRandomValues(o),
): Promise<string> {
  const sender = decodeMemberKey(keys.ownKey);
  const recipient = decodeMemberKey(recipientKey);
  const salt = new Uint8Array(SALT_OCTETS);
  const iv = new Uint8Array(IV_OCTETS);
  random(salt);
  random(iv);
  const header = new Uint8Array([...PRIVATE_DM_MAGIC, ...sender, ...recipient, ...salt, ...iv]);
  const key = await aesKey(keys.privateKey, recipient, sender, recipient, salt, 'encrypt');
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: header },
    key,
    new TextEncoder().encode(plaintext),
  );
  const out = new Uint8Array(header.length + sealed.byteLength);
  out.set(header);
  out.set(new Uint8Array(sealed), header.length);
  return toWrappedBase64(out);
}

export type OpenedPrivateDm = { ok: true; text: string; senderKey: string } | { ok: false };

/**
 * Opens a private DM sent to us, or our own to someone. `senderKey` is the key the room lists for
 * the row's sender: a DM naming another sender key is refused, so nobody can pass theirs off as
 * someone else's. Anything malformed, or not for our key, is `{ ok: false }`; never throws. Its cost
 * is one X25519, one HKDF and one AES-GCM pass over at most a message's length.
 */
export async function openPrivateDm(
  msg: string,
  keys: PrivateDmKeys,
  senderKey: string | undefined,
): Promise<OpenedPrivateDm> {
  try {
    // Nothing longer than the server stores is read at all.
    if (msg.length > LIMITS.messageLength) return { ok: false };
    const bytes = Uint8Array.from(fromBase64(msg));
    if (bytes.length < HEADER_OCTETS + TAG_OCTETS) return { ok: false };
    if (!PRIVATE_DM_MAGIC.every((b, i) => bytes[i] === b)) return { ok: false };
    let at = PRIVATE_DM_MAGIC.length;
    const take = (n: number) => Uint8Array.from(bytes.subarray(at, (at += n)));
    const sender = take(MEMBER_KEY_OCTETS);
    const recipient = take(MEMBER_KEY_OCTETS);
    const salt = take(SALT_OCTETS);
    const iv = take(IV_OCTETS);
    const own = decodeMemberKey(keys.ownKey);
    const same = (a: Uint8Array, b: Uint8Array) => a.every((x, i) => x === b[i]);
    const fromUs = same(sender, own);
    if (!fromUs && !same(recipient, own)) return { ok: false };
    if (senderKey === undefined || !same(sender, decodeMemberKey(senderKey))) return { ok: false };
    const peer = fromUs ? recipient : sender;
    const key = await aesKey(keys.privateKey, peer, sender, recipient, salt, 'decrypt');
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: bytes.subarray(0, HEADER_OCTETS) },
      key,
      bytes.subarray(HEADER_OCTETS),
    );
    return {
      ok: true,
      text: new TextDecoder('utf-8', { fatal: true }).decode(plain),
      senderKey: encodeMemberKey(sender),
    };
  } catch {
    return { ok: false };
  }
}
