import { z } from 'zod';
import { SYSTEM_USER, password, roomName, userName } from '../protocol';
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

/** Everything a LocalChat Desktop user needs to join a room. */
export const inviteSchema = z.strictObject({
  server: serverUrl,
  /** Absent: trust the certificate the server shows first (TOFU). */
  fingerprint: fingerprint.optional(),
  room: roomName,
  roomPass: password,
  user: member,
  userPass: password,
});

export type Invite = z.input<typeof inviteSchema>;
