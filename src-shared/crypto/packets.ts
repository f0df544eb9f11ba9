/**
 * The little OpenPGP framing we read and write ourselves (RFC 4880 §4.2, §5.3): just enough to
 * find the symmetric-key session key packet (SKESK) and check what follows it. Everything else
 * is left to openpgp.js.
 */
import { S2K_HASH_IDS, decodeS2kCount, s2kHashId, type S2kHash, type S2kSpec } from './s2k';

export const PACKET_TAG = { skesk: 3, seipd: 18 } as const;

export interface PacketHeader {
  tag: number;
  bodyOffset: number;
  /** null for partial or indeterminate lengths: the body then runs on in further chunks. */
  bodyLength: number | null;
}

/** Reads the packet header at `offset`, or null if the bytes there are not a valid header. */
export function readPacketHeader(bytes: Uint8Array, offset: number): PacketHeader | null {
  const ctb = bytes[offset];
  if (ctb === undefined || (ctb & 0x80) === 0) return null;
  const at = (i: number) => bytes[offset + i];
  if (ctb & 0x40) {
    const first = at(1);
    if (first === undefined) return null;
    const tag = ctb & 0x3f;
    if (first < 192) return { tag, bodyOffset: offset + 2, bodyLength: first };
    if (first < 224) {
      const second = at(2);
      if (second === undefined) return null;
      return { tag, bodyOffset: offset + 3, bodyLength: ((first - 192) << 8) + second + 192 };
    }
    if (first < 255) return { tag, bodyOffset: offset + 2, bodyLength: null };
    return readFixedLength(bytes, offset, tag, 2, 4);
  }
  const tag = (ctb >> 2) & 0x0f;
  const lengthType = ctb & 0x03;
  if (lengthType === 3) return { tag, bodyOffset: offset + 1, bodyLength: null };
  return readFixedLength(bytes, offset, tag, 1, [1, 2, 4][lengthType] ?? 0);
}

function readFixedLength(
  bytes: Uint8Array,
  offset: number,
  tag: number,
  skip: number,
  octets: number,
) {
  const start = offset + skip;
  if (start + octets > bytes.length) return null;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (bytes[start + i] ?? 0);
  return { tag, bodyOffset: start + octets, bodyLength: length };
}

/**
 * The offset just past the packet at `offset`, following a new-format body's partial-length
 * chunks (gpg writes them when its input is a pipe); null if the packet is malformed or runs
 * past the input. An old-format indeterminate length runs to the end of the input.
 */
export function readPacketEnd(bytes: Uint8Array, offset: number): number | null {
  const header = readPacketHeader(bytes, offset);
  if (!header) return null;
  if (header.bodyLength !== null) return fitting(bytes, header.bodyOffset + header.bodyLength);
  if ((bytes[offset]! & 0x40) === 0) return bytes.length;
  let at = header.bodyOffset + partialChunkLength(bytes[offset + 1]!);
  for (;;) {
    const first = bytes[at];
    if (first === undefined) return null;
    if (first >= 224 && first < 255) {
      at += 1 + partialChunkLength(first);
      continue;
    }
    // The last chunk carries an ordinary length: reuse the header reader on a synthetic CTB.
    const last = readPacketHeader(Uint8Array.of(0xc0, ...bytes.subarray(at, at + 5)), 0);
    if (!last || last.bodyLength === null) return null;
    return fitting(bytes, at + last.bodyOffset - 1 + last.bodyLength);
  }
}

function partialChunkLength(octet: number): number {
  return 1 << (octet & 0x1f);
}

function fitting(bytes: Uint8Array, end: number): number | null {
  return end <= bytes.length ? end : null;
}

export interface PlainSkesk {
  cipherId: number;
  s2k: S2kSpec;
}

/**
 * Parses a v4 SKESK body whose S2K output is the session key itself (no encrypted session key).
 * Returns null for anything else — other versions, S2K types or hashes, an encrypted session
 * key — which the caller hands to openpgp.js unchanged.
 */
export function parsePlainSkesk(body: Uint8Array): PlainSkesk | null {
  const [version, cipherId, type, hashId] = body;
  if (version !== 4 || cipherId === undefined || hashId === undefined) return null;
  const hash = S2K_HASH_IDS[hashId];
  if (!hash) return null;
  if (type === 0 && body.length === 4) {
    return { cipherId, s2k: { type: 'simple', hash, salt: new Uint8Array(0), count: 0 } };
  }
  if (type === 1 && body.length === 12) {
    return { cipherId, s2k: { type: 'salted', hash, salt: body.slice(4, 12), count: 0 } };
  }
  const coded = body[12];
  if (type === 3 && body.length === 13 && coded !== undefined) {
    return {
      cipherId,
      s2k: { type: 'iterated', hash, salt: body.slice(4, 12), count: decodeS2kCount(coded) },
    };
  }
  return null;
}

/** A complete SKESK v4 packet (new-format header) with an iterated+salted S2K and no encrypted key. */
export function writeIteratedSkesk(
  cipherId: number,
  hash: S2kHash,
  salt: Uint8Array,
  codedCount: number,
): Uint8Array {
  if (salt.length !== 8) throw new Error('An S2K salt has 8 octets');
  const packet = new Uint8Array(15);
  packet.set([0xc0 | PACKET_TAG.skesk, 13, 4, cipherId, 3, s2kHashId(hash)]);
  packet.set(salt, 6);
  packet[14] = codedCount;
  return packet;
}
