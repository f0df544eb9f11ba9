import { z } from 'zod';
import { SYSTEM_USER, memberKey, password, roomName, userName } from '../protocol';
import { isFingerprint, normaliseFingerprint } from './fingerprint';

/** The server address: https only (the room is end-to-end encrypted, the login is not). */
export const serverUrl = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((text) => URL.canParse(text), 'must be a URL such as https://192.168.1.20:8090')
  .refine(
    (text) => URL.canParse(text) && new URL(text).protocol === 'https:',
    'must start with https://',
  )
  .refine((text) => {
    const url = URL.canParse(text) ? new URL(text) : null;
    return (
      !!url && url.hostname !== '' && !url.username && !url.password && !url.search && !url.hash
    );
  }, 'must be https://host[:port][/path], without credentials, query or fragment')
  .refine(
    isPlainServerUrl,
    'must be written plainly: lower-case host, path of letters, digits, . _ ~ -',
  );

/**
 * A crafted invite must not be able to dress one server up as another: only the form the URL
 * parser itself writes is accepted (so no IDN look-alikes, backslashes, dot segments or escapes),
 * with a path of plain segments such as the secret prefix the browser page is served under.
 */
function isPlainServerUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  const path = url.pathname.replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$/.test(path)) return false;
  return text.replace(/\/+$/, '') === `${url.protocol}//${url.host}${path}`;
}

export const fingerprint = z
  .string()
  .refine(isFingerprint, 'must be a SHA-256 fingerprint of 64 hex digits')
  .transform(normaliseFingerprint);

const member = userName.refine(
  (name) => name !== SYSTEM_USER,
  `${SYSTEM_USER} is reserved for the server`,
);

/**
 * Everything a LocalChat Desktop user needs to join a room. A LocalChat invite carries no room
 * passphrase: it names the inviter and the inviter's member key instead, and the inviter's client
 * hands the passphrase over sealed to the newcomer's key (src-shared/crypto/keyHandover.ts). An
 * invite with `roomPass` (and no inviter) is the older form, still read.
 */
export const inviteSchema = z
  .strictObject({
    server: serverUrl,
    /** Absent: trust the certificate the server shows first (TOFU). */
    fingerprint: fingerprint.optional(),
    room: roomName,
    roomPass: password.optional(),
    /** Who hands the room key over, and the member key its handover must be sealed with. */
    from: member.optional(),
    fromKey: memberKey.optional(),
    user: member,
    /** A one-time password: the newcomer's first join replaces it. */
    userPass: password,
  })
  .refine(
    (invite) =>
      invite.roomPass !== undefined
        ? invite.from === undefined && invite.fromKey === undefined
        : invite.from !== undefined && invite.fromKey !== undefined,
    'must hold either the room passphrase or the inviter and its key',
  );

export type Invite = z.input<typeof inviteSchema>;
