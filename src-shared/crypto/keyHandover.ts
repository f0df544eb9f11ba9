import { concat, field, utf8 } from './fields';
import { decodeMemberKey } from './memberKey';

/**
 * The room key handover (the `keyhandover` extension): the inviter's client sends the room
 * passphrase to a newcomer whose invite did not carry it, encrypted to the newcomer's member key.
 *
 *   shared = X25519(sender private, recipient public)                      (32 octets)
 *   key    = HKDF-SHA-256(ikm = shared, salt = "LocalChat key handover v1",
 *                         info = field(1, room) || field(2, sender key) || field(3, recipient key))
 *   box    = base64url(iv (12 random octets) || AES-256-GCM(key, iv, passphrase as UTF-8))
 *
 * Keys are the 32 raw octets of the X25519 public keys; field() is the tag-length-value encoding
 * of fields.ts. Only the holders of the two private keys can open or make a box, so a box that
 * opens with the inviter's key named in the invite came from that inviter. docs/security.md has
 * the recipe and test vectors.
 */
/** A WebCrypto key, spelled so both the DOM and the Node typings accept it. */
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

export const HANDOVER_SALT = 'LocalChat key handover v1';
const IV_OCTETS = 12;

export interface HandoverParties {
  room: string;
  /** The sender's member key (wire form). */
  senderKey: string;
  /** The recipient's member key (wire form). */
  recipientKey: string;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The AES-GCM key both ends derive: `own` is this end's private key, `other` the peer's public key. */
export async function handoverKey(own: Key, other: string, parties: HandoverParties): Promise<Key> {
  const peer = await crypto.subtle.importKey(
    'raw',
    decodeMemberKey(other),
    { name: 'X25519' },
    false,
    [],
  );
  const shared = await crypto.subtle.deriveBits({ name: 'X25519', public: peer }, own, 256);
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const info = concat([
    field(1, utf8(parties.room)),
    field(2, decodeMemberKey(parties.senderKey)),
    field(3, decodeMemberKey(parties.recipientKey)),
  ]);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8(HANDOVER_SALT), info },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals the passphrase for the recipient. `iv` is for test vectors only; otherwise random. */
export async function sealRoomKey(
  passphrase: string,
  senderPrivate: Key,
  parties: HandoverParties,
  iv: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(IV_OCTETS)),
): Promise<string> {
  const key = await handoverKey(senderPrivate, parties.recipientKey, parties);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, utf8(passphrase));
  return toBase64Url(concat([iv, new Uint8Array(sealed)]));
}

/** Opens a box from the sender; throws if it was not sealed by that sender for this recipient. */
export async function openRoomKey(
  box: string,
  recipientPrivate: Key,
  parties: HandoverParties,
): Promise<string> {
  const bytes = fromBase64Url(box);
  if (bytes.length <= IV_OCTETS + 16) throw new Error('the handover is too short');
  const key = await handoverKey(recipientPrivate, parties.senderKey, parties);
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.subarray(0, IV_OCTETS) },
    key,
    bytes.subarray(IV_OCTETS),
  );
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}
