import { randomBytes } from 'node:crypto';

const TAG = 'bench:';

/**
 * Stand-in ciphertext of `bytes` bytes, base64 as clients send it, whose first bytes carry a
 * sequence number so a receiver can tell which send it answers. The server treats it as opaque.
 */
export function taggedMessage(seq: number, bytes: number): string {
  const head = Buffer.from(`${TAG}${seq}:`, 'latin1');
  return Buffer.concat([head, randomBytes(Math.max(0, bytes - head.length))]).toString('base64');
}

/** The sequence number taggedMessage put in, or undefined for any other message. */
export function messageSeq(msg: string): number | undefined {
  const head = Buffer.from(msg.slice(0, 32), 'base64').toString('latin1');
  const match = /^bench:(\d+):/.exec(head);
  return match ? Number(match[1]) : undefined;
}
