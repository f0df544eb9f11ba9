import * as openpgp from 'openpgp';
import { fromBase64, toWrappedBase64 } from './base64';
import { LruCache } from './keyCache';
import { CRYPTO_LIMITS } from './limits';
import {
  PACKET_TAG,
  parsePlainSkesk,
  readPacketEnd,
  readPacketHeader,
  writeIteratedSkesk,
  type PlainSkesk,
} from './packets';
import {
  S2K_HASH_LENGTHS,
  decodeS2kCount,
  deriveS2kKey,
  type S2kBackend,
  type S2kSpec,
} from './s2k';
import { webCryptoS2kBackend } from './webCryptoS2k';

/** Thrown for every message that cannot be read; the message is safe to show to a user. */
export class MessageCryptoError extends Error {
  override name = 'MessageCryptoError';
}

export interface DecryptOptions {
  /** Hash implementation for the S2K; defaults to the one set with {@link setS2kBackend}. */
  s2kBackend?: S2kBackend;
}

const AES_BY_ID: Readonly<
  Record<number, { algorithm: openpgp.enums.symmetricNames; keyLength: number }>
> = {
  7: { algorithm: 'aes128', keyLength: 16 },
  8: { algorithm: 'aes192', keyLength: 24 },
  9: { algorithm: 'aes256', keyLength: 32 },
};
const AES256_ID = 9;

/**
 * S2K for what WE encrypt: iterated+salted SHA-256 over 65536 octets (coded count 0x60) with one
 * random salt per session (this module's lifetime: a server run, a client's crypto worker).
 *
 * Key stretching only helps guessable passphrases; ours come from a CSPRNG (16 of A-Z0-9, ~82
 * bits), so GnuPG's 65 MB of SHA-1 (~40-250 ms per message, paid by every reader for every
 * message of a backlog) would buy nothing an attacker notices. 65536 octets still add 16 bits
 * for a hand-typed passphrase at ~0.05 ms of native hashing. SHA-256 yields an AES-256 key in one
 * hash context, where SHA-1 needs two.
 *
 * The fixed salt means a reader derives a sender's key once and then hits the cache: in a
 * browser each derivation is a WebCrypto round trip that costs more than the rest of decrypting
 * a short message. Reusing the key across messages is safe here: SEIPD v1 starts every message
 * with a fresh random block under CFB, which acts as a random IV, and the MDC authenticates each
 * message. The salt's job, defeating precomputation across passphrases and sessions, remains.
 * gpg and the stock client read any S2K count and salt.
 */
const OUR_S2K = { hash: 'SHA-256', codedCount: 0x60 } as const;
const sessionSalt = crypto.getRandomValues(new Uint8Array(8));

const DECRYPT_FAILED =
  'Cannot decrypt the message: wrong passphrase, or the message is corrupted or was tampered with';
const NOT_OUR_SHAPE =
  'Cannot decrypt the message: it is not one passphrase-encrypted message as gpg --symmetric writes';
const TOO_LARGE = `Cannot decrypt the message: it expands to more than ${CRYPTO_LIMITS.maxPlaintextBytes / 1024} KiB`;

let defaultBackend: S2kBackend = webCryptoS2kBackend;
/**
 * Derived keys by (passphrase, S2K parameters, key length), held as promises so messages decrypted
 * concurrently with the same salt share one derivation. Re-reading a message costs no S2K.
 */
const derivedKeys = new LruCache<string, Promise<Uint8Array>>(256);

/** Chooses the S2K hash implementation, e.g. a node:crypto one in the Electron main process. */
export function setS2kBackend(backend: S2kBackend): void {
  defaultBackend = backend;
}

/** Forgets every cached key (benchmarks measure cold derivations; a closed room drops its keys). */
export function clearDerivedKeyCache(): void {
  derivedKeys.clear();
}

function cacheKey(spec: S2kSpec, passphrase: string, keyLength: number): string {
  const salt = Array.from(spec.salt, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${spec.type}:${spec.hash}:${spec.count}:${salt}:${keyLength}:${passphrase}`;
}

async function cachedKey(
  spec: S2kSpec,
  passphrase: string,
  keyLength: number,
  backend: S2kBackend,
) {
  const id = cacheKey(spec, passphrase, keyLength);
  let key = derivedKeys.get(id);
  if (!key) {
    key = deriveS2kKey(spec, passphrase, keyLength, backend);
    derivedKeys.set(id, key);
    // A failed derivation (e.g. a backend whose worker died) must not stick.
    key.catch(() => {
      if (derivedKeys.get(id) === key) derivedKeys.delete(id);
    });
  }
  return key;
}

/**
 * Encrypts as `gpg --symmetric --cipher-algo AES256` does (SKESK v4 + MDC-protected data, no
 * AEAD, a binary literal), then base64 with 76-char lines as the stock client writes it.
 */
export async function encryptText(plaintext: string, passphrase: string): Promise<string> {
  const spec: S2kSpec = {
    type: 'iterated',
    hash: OUR_S2K.hash,
    salt: sessionSalt,
    count: decodeS2kCount(OUR_S2K.codedCount),
  };
  const key = await cachedKey(spec, passphrase, 32, defaultBackend);
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(plaintext) });
  // With a session key and no passwords openpgp writes only the encrypted data packet; the SKESK
  // that makes the passphrase-derived key the session key is ours.
  const data = (await openpgp.encrypt({
    message,
    sessionKey: { data: key, algorithm: 'aes256' },
    format: 'binary',
    config: {
      aeadProtect: false,
      preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed,
    },
  })) as Uint8Array;
  const skesk = writeIteratedSkesk(AES256_ID, spec.hash, spec.salt, OUR_S2K.codedCount);
  const packets = new Uint8Array(skesk.length + data.length);
  packets.set(skesk);
  packets.set(data, skesk.length);
  return toWrappedBase64(packets);
}

/**
 * The only shape we decrypt: exactly one plain SKESK v4 (S2K output = session key, AES, a hash
 * gpg offers) and then one v1 MDC-protected data packet that ends the message — what gpg
 * --symmetric and encryptText write. Checked before any key derivation: every further SKESK
 * would cost the reader another S2K of the sender's choosing (openpgp.js tries them all), so a
 * message of 3,000 of them would stall a reader for minutes. Returns null for anything else.
 */
function sealedShapeOf(bytes: Uint8Array): PlainSkesk | null {
  const first = readPacketHeader(bytes, 0);
  if (!first || first.tag !== PACKET_TAG.skesk || first.bodyLength === null) return null;
  const bodyEnd = first.bodyOffset + first.bodyLength;
  const skesk = parsePlainSkesk(bytes.subarray(first.bodyOffset, bodyEnd));
  if (!skesk || !AES_BY_ID[skesk.cipherId]) return null;
  const data = readPacketHeader(bytes, bodyEnd);
  if (!data || data.tag !== PACKET_TAG.seipd || bytes[data.bodyOffset] !== 1) return null;
  return readPacketEnd(bytes, bodyEnd) === bytes.length ? skesk : null;
}

/** Base64 characters that hold any SKESK v4 we accept: a 2-octet header and a 13-octet body. */
const SKESK_PREFIX_CHARS = 24;

/**
 * The S2K octets decrypting this message would hash (count x hash contexts for its key), read
 * from its first packet alone so it costs nothing to ask; 0 when that packet is not an SKESK we
 * derive keys for (decryptText then refuses it before any derivation). The decrypt scheduler
 * budgets and orders messages by it.
 */
export function s2kWorkOf(base64: string): number {
  let prefix: Uint8Array;
  try {
    prefix = fromBase64(base64.replace(/\s+/g, '').slice(0, SKESK_PREFIX_CHARS));
  } catch {
    return 0;
  }
  const header = readPacketHeader(prefix, 0);
  if (!header || header.tag !== PACKET_TAG.skesk || header.bodyLength === null) return 0;
  const skesk = parsePlainSkesk(
    prefix.subarray(header.bodyOffset, header.bodyOffset + header.bodyLength),
  );
  const cipher = skesk && AES_BY_ID[skesk.cipherId];
  if (!skesk || !cipher) return 0;
  const contexts = Math.ceil(cipher.keyLength / S2K_HASH_LENGTHS[skesk.s2k.hash]);
  // Simple and salted S2Ks hash the passphrase once: as cheap as the smallest iterated count.
  return contexts * Math.max(skesk.s2k.count, 1024);
}

function decodeBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(text))
    throw new MessageCryptoError('The message is not valid base64');
  try {
    return fromBase64(text);
  } catch {
    throw new MessageCryptoError('The message is not valid base64');
  }
}

/**
 * Decrypts a base64 OpenPGP symmetric message; throws MessageCryptoError if it cannot. Costs at
 * most one S2K (of at most 65 MB, the most an iterated S2K can code, as gpg's default does) and
 * {@link CRYPTO_LIMITS.maxPlaintextBytes} of plaintext, whatever the sender wrote.
 */
export async function decryptText(
  base64: string,
  passphrase: string,
  options: DecryptOptions = {},
): Promise<string> {
  const bytes = decodeBase64(base64);
  if (bytes.length === 0) throw new MessageCryptoError('The message is empty');
  if (!readPacketHeader(bytes, 0))
    throw new MessageCryptoError('The message is not an OpenPGP message');
  const skesk = sealedShapeOf(bytes);
  if (!skesk) throw new MessageCryptoError(NOT_OUR_SHAPE);
  // Enforced as the data inflates, so a compression bomb never reaches its full size.
  const config = { maxDecompressedMessageSize: CRYPTO_LIMITS.maxPlaintextBytes };
  let message: openpgp.Message<Uint8Array>;
  try {
    message = await openpgp.readMessage({ binaryMessage: bytes, config });
  } catch {
    throw new MessageCryptoError('The message is not an OpenPGP message');
  }
  const cipher = AES_BY_ID[skesk.cipherId]!;
  try {
    const key = await cachedKey(
      skesk.s2k,
      passphrase,
      cipher.keyLength,
      options.s2kBackend ?? defaultBackend,
    );
    // A session key, never passwords: openpgp.js does no S2K work of its own.
    const { data } = await openpgp.decrypt({
      message,
      sessionKeys: { data: key, algorithm: cipher.algorithm },
      format: 'binary',
      config,
    });
    return new TextDecoder().decode(data);
  } catch (error) {
    if (error instanceof Error && /decompressed message size/i.test(error.message))
      throw new MessageCryptoError(TOO_LARGE);
    throw new MessageCryptoError(DECRYPT_FAILED);
  }
}
