import { z } from 'zod';
import { CLIENT_KINDS, MEMBER_KEY_PATTERN } from '../crypto/memberKey';

/** A member key (X25519 public key) in its one wire spelling: see src-shared/crypto/memberKey.ts. */
export const memberKey = z.string().regex(MEMBER_KEY_PATTERN, 'must be a member key');
/** Which LocalChat client holds the key: the desktop app or the browser page. */
export const clientKind = z.enum(CLIENT_KINDS);
export type ClientKind = z.infer<typeof clientKind>;
