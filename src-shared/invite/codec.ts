import type { z } from 'zod';
import { fromBase64Url, toBase64Url } from '../crypto/base64';
import { crc32 } from './checksum';
import { InviteError } from './errors';
import { inviteSchema, type Invite } from './schema';

/**
 * An invite code is `LC1.<body>.<check>`: body the base64url of the invite as JSON, check the
 * CRC-32 of `LC1.<body>` as 8 hex digits. Base64url and '.' survive chat apps, e-mail and URLs
 * unescaped; the version prefix lets a later format be told apart from damage.
 */
const VERSION = 1;
const PREFIX = `LC${VERSION}.`;
const LINK_PREFIX = 'localchat://join/';
const CODE_SHAPE = /^LC(\d+)\.([A-Za-z0-9_-]+)\.([0-9a-f]{8})$/;

function checksum(signed: string): string {
  return crc32(new TextEncoder().encode(signed)).toString(16).padStart(8, '0');
}

/** Explains the first problem zod found, naming the field. */
function describeIssue(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys')
    return `The invite has unknown fields: ${issue.keys.join(', ')}`;
  const field = issue?.path.map(String).join('.');
  if (issue?.code === 'custom' && !field) return `The invite ${issue.message}`;
  if (!issue || !field) return 'The invite is not valid';
  if (issue.code === 'invalid_type') {
    const present = (input as Record<string, unknown>)[field] !== undefined;
    return present ? `The invite's ${field} must be text` : `The invite is missing its ${field}`;
  }
  return `The invite's ${field} ${issue.message}`;
}

function validate(invite: unknown): Invite {
  const result = inviteSchema.safeParse(invite);
  if (!result.success) throw new InviteError(describeIssue(result.error, invite));
  return result.data;
}

/** The one-line code to paste into LocalChat Desktop. Throws InviteError if the invite is invalid. */
export function encodeInvite(invite: Invite): string {
  const valid = validate(invite);
  // The fingerprint's colons are a third of its length; decoding puts them back.
  const compact = valid.fingerprint
    ? { ...valid, fingerprint: valid.fingerprint.replace(/:/g, '') }
    : valid;
  const body = toBase64Url(new TextEncoder().encode(JSON.stringify(compact)));
  return `${PREFIX}${body}.${checksum(PREFIX + body)}`;
}

/** The same invite as a `localchat://join/...` link. */
export function inviteLink(invite: Invite): string {
  return LINK_PREFIX + encodeInvite(invite);
}

/**
 * Reads an invite code or link (whitespace anywhere is ignored: mail clients wrap long lines).
 * Throws InviteError saying what is wrong.
 */
export function decodeInvite(text: string): Invite {
  let code = text.replace(/\s+/g, '');
  if (code === '') throw new InviteError('The invite is empty');
  if (code.toLowerCase().startsWith(LINK_PREFIX))
    code = code.slice(LINK_PREFIX.length).replace(/\/$/, '');
  if (!/^LC\d+\./.test(code))
    throw new InviteError(
      'This is not a LocalChat invite: it should start with LC1. or localchat://join/',
    );
  const shape = CODE_SHAPE.exec(code);
  if (!shape)
    throw new InviteError('The invite code is incomplete or damaged: copy it again in full');
  const [, version, body, check] = shape as unknown as [string, string, string, string];
  if (Number(version) !== VERSION) {
    throw new InviteError(
      `This invite uses format LC${version}, which this version of LocalChat cannot read`,
    );
  }
  if (checksum(`LC${version}.${body}`) !== check) {
    throw new InviteError(
      'The invite code is damaged or was mistyped (its checksum does not match): copy it again',
    );
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(body)));
  } catch {
    throw new InviteError('The invite code is damaged: its contents cannot be read');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new InviteError('The invite code is damaged: its contents cannot be read');
  }
  return validate(decoded);
}
