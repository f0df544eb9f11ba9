import { describe, expect, it } from 'vitest';
import { parsePlainSkesk, readPacketEnd, readPacketHeader, writeIteratedSkesk } from './packets';

describe('readPacketHeader', () => {
  it('reads old-format headers (what gpg writes for the SKESK)', () => {
    expect(readPacketHeader(new Uint8Array([0x8c, 0x0d]), 0)).toEqual({
      tag: 3,
      bodyOffset: 2,
      bodyLength: 13,
    });
    expect(readPacketHeader(new Uint8Array([0x8d, 0x01, 0x02]), 0)).toEqual({
      tag: 3,
      bodyOffset: 3,
      bodyLength: 258,
    });
    expect(readPacketHeader(new Uint8Array([0xa3, 0x01]), 0)).toEqual({
      tag: 8,
      bodyOffset: 1,
      bodyLength: null,
    });
  });

  it('reads new-format headers of every length form', () => {
    expect(readPacketHeader(new Uint8Array([0xd2, 0x56]), 0)).toEqual({
      tag: 18,
      bodyOffset: 2,
      bodyLength: 86,
    });
    expect(readPacketHeader(new Uint8Array([0xd2, 0xc0, 0x00]), 0)).toEqual({
      tag: 18,
      bodyOffset: 3,
      bodyLength: 192,
    });
    expect(readPacketHeader(new Uint8Array([0xd2, 0xe5]), 0)).toEqual({
      tag: 18,
      bodyOffset: 2,
      bodyLength: null,
    });
    expect(readPacketHeader(new Uint8Array([0xd2, 0xff, 0, 1, 0, 0]), 0)).toEqual({
      tag: 18,
      bodyOffset: 6,
      bodyLength: 65536,
    });
  });

  it('refuses what is not a header', () => {
    expect(readPacketHeader(new Uint8Array([0x41, 0x00]), 0)).toBeNull();
    expect(readPacketHeader(new Uint8Array([0xd2]), 0)).toBeNull();
    expect(readPacketHeader(new Uint8Array([0x8d, 0x01]), 0)).toBeNull();
    expect(readPacketHeader(new Uint8Array([]), 0)).toBeNull();
  });
});

describe('readPacketEnd', () => {
  it('ends a fixed-length packet after its body, if the input holds it', () => {
    expect(readPacketEnd(new Uint8Array([0xd2, 2, 1, 1, 0xff]), 0)).toBe(4);
    expect(readPacketEnd(new Uint8Array([0xd2, 3, 1, 1]), 0)).toBeNull();
  });

  it('follows partial-length chunks to the last, ordinary one', () => {
    // 0xe1: a 2-octet chunk, then 0xe0: 1 octet, then a final 3-octet chunk.
    const bytes = new Uint8Array([0xd2, 0xe1, 9, 9, 0xe0, 9, 3, 9, 9, 9, 0x42]);
    expect(readPacketEnd(bytes, 0)).toBe(10);
    expect(readPacketEnd(bytes.subarray(0, 9), 0)).toBeNull();
    expect(readPacketEnd(new Uint8Array([0xd2, 0xe1, 9, 9]), 0)).toBeNull();
  });

  it('runs an old-format indeterminate length to the end', () => {
    expect(readPacketEnd(new Uint8Array([0xa3, 1, 2, 3]), 0)).toBe(4);
  });
});

describe('parsePlainSkesk', () => {
  const salt = [1, 2, 3, 4, 5, 6, 7, 8];

  it('reads an iterated+salted S2K', () => {
    expect(parsePlainSkesk(new Uint8Array([4, 9, 3, 2, ...salt, 255]))).toEqual({
      cipherId: 9,
      s2k: { type: 'iterated', hash: 'SHA-1', salt: new Uint8Array(salt), count: 65011712 },
    });
  });

  it('reads simple and salted S2Ks', () => {
    expect(parsePlainSkesk(new Uint8Array([4, 7, 0, 8]))?.s2k.type).toBe('simple');
    expect(parsePlainSkesk(new Uint8Array([4, 7, 1, 10, ...salt]))?.s2k).toEqual({
      type: 'salted',
      hash: 'SHA-512',
      salt: new Uint8Array(salt),
      count: 0,
    });
  });

  it('leaves anything else to openpgp.js', () => {
    expect(parsePlainSkesk(new Uint8Array([4, 9, 3, 2, ...salt, 255, 0xaa, 0xbb]))).toBeNull(); // encrypted session key
    expect(parsePlainSkesk(new Uint8Array([5, 9, 3, 2, ...salt, 255]))).toBeNull(); // v5/v6
    expect(parsePlainSkesk(new Uint8Array([4, 9, 3, 1, ...salt, 255]))).toBeNull(); // MD5
    expect(parsePlainSkesk(new Uint8Array([4, 9, 4, 2, ...salt, 255]))).toBeNull(); // argon2
    expect(parsePlainSkesk(new Uint8Array([4, 9, 3, 2, ...salt]))).toBeNull(); // truncated
  });
});

describe('writeIteratedSkesk', () => {
  it('writes a packet that reads back', () => {
    const salt = new Uint8Array([8, 7, 6, 5, 4, 3, 2, 1]);
    const packet = writeIteratedSkesk(9, 'SHA-256', salt, 0x60);
    const header = readPacketHeader(packet, 0)!;
    expect(header).toEqual({ tag: 3, bodyOffset: 2, bodyLength: 13 });
    expect(parsePlainSkesk(packet.subarray(2))).toEqual({
      cipherId: 9,
      s2k: { type: 'iterated', hash: 'SHA-256', salt, count: 65536 },
    });
  });

  it('refuses a salt of the wrong size', () => {
    expect(() => writeIteratedSkesk(9, 'SHA-256', new Uint8Array(4), 0x60)).toThrow();
  });
});
