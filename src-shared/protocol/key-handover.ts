import { z } from 'zod';

/**
 * A sealed room key (keyhandover): base64url of a 12-octet iv and AES-GCM ciphertext of a room
 * passphrase (at most 128 characters, so at most 512 UTF-8 octets) with its 16-octet tag.
 */
export const MAX_HANDOVER_BOX = 720;
export const handoverBox = z
  .string()
  .min(40)
  .max(MAX_HANDOVER_BOX)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
