import { z } from 'zod';
import type { InvokeArgs, InvokeChannel } from './contract';

/**
 * Runtime validators for every invoke channel's arguments: the renderer is untrusted (it renders
 * text from other people), so main checks each argument before a handler sees it.
 */

const MAX_URL_LENGTH = 2048;
const MAX_PAYLOAD_JSON_BYTES = 256 * 1024;

const httpsUrl = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine((s) => URL.canParse(s) && new URL(s).protocol === 'https:', 'must be an https:// URL');

/** A link from a message: http or https with a host, nothing else may reach the OS's opener. */
export const externalUrlSchema = z
  .string()
  .max(MAX_URL_LENGTH)
  .refine((s) => {
    if (!URL.canParse(s)) return false;
    const url = new URL(s);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  }, 'must be an http:// or https:// URL');

/** SHA-256 as 64 hex digits, optionally colon-separated pairs. */
export const fingerprintSchema = z
  .string()
  .regex(/^(?:[0-9A-Fa-f]{2}(?::?)){31}[0-9A-Fa-f]{2}$/, 'must be a SHA-256 fingerprint');

const jsonPayload = z.unknown().refine((p) => {
  try {
    const json = JSON.stringify(p);
    return json === undefined || json.length <= MAX_PAYLOAD_JSON_BYTES;
  } catch {
    return false;
  }
}, 'payload must be JSON of reasonable size');

export const serverRequestSchema = z.strictObject({
  url: httpsUrl,
  action: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z]+$/, 'must be an action name'),
  payload: jsonPayload,
  fingerprint: fingerprintSchema.optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
});

export const hostingStartSchema = z.strictObject({
  // One interface's address: a wildcard would give participants no address to use.
  address: z
    .ipv4()
    .or(z.ipv6())
    .refine(
      (a) => a !== '0.0.0.0' && !/^[0:]+$/.test(a),
      'must be one interface address, not a wildcard',
    ),
  port: z.number().int().min(1).max(65_535).optional(),
  serveWeb: z.boolean().optional(),
  keepCertificate: z.boolean().optional(),
});

/** Salt (8) plus a passphrase far longer than any generated one (16). */
const MAX_S2K_PATTERN_BYTES = 8 + 1024;
/** The largest count an iterated S2K can code (RFC 4880 §3.7.1.3). */
const MAX_S2K_COUNT = 65_011_712;

export const s2kDigestSchema = z
  .strictObject({
    hash: z.enum(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']),
    pattern: z
      .instanceof(Uint8Array)
      .refine(
        (p) => p.length >= 1 && p.length <= MAX_S2K_PATTERN_BYTES,
        'pattern must be salt and passphrase',
      ),
    count: z.number().int().min(1).max(MAX_S2K_COUNT),
    // An AES-256 key from SHA-1 needs two contexts; four cover every cipher and hash pair.
    contexts: z.number().int().min(1).max(4),
  })
  .refine((r) => r.count >= r.pattern.length, 'count must cover the pattern once');

const noArgs = z.tuple([]);

/** Message ids a notification is about: as many as one poll's batch can bring. */
const notificationIds = z.array(z.number().finite()).max(10_000);

export const desktopNotificationSchema = z.strictObject({
  title: z.string().max(300),
  body: z.string().max(2_000),
  ids: notificationIds,
});
/** A message's plaintext is capped at 256 KiB (src-shared/crypto/limits); a copy is no longer. */
const MAX_CLIPBOARD_TEXT = 256 * 1024;

export const invokeArgSchemas: { [K in InvokeChannel]: z.ZodType<InvokeArgs<K>> } = {
  'server:request': z.tuple([serverRequestSchema]),
  'hosting:interfaces': noArgs,
  'hosting:start': z.tuple([hostingStartSchema]),
  'hosting:stop': noArgs,
  'hosting:status': noArgs,
  'hosting:certificate': noArgs,
  'hosting:forget-certificate': noArgs,
  'links:take-pending': noArgs,
  'crypto:s2k-digests': z.tuple([s2kDigestSchema]),
  'links:open-external': z.tuple([externalUrlSchema]),
  'notifications:show': z.tuple([desktopNotificationSchema]),
  'notifications:close': z.tuple([notificationIds]),
  'notifications:close-all': noArgs,
  // Room text the window copied: an invite or a message, never more than a message's plaintext.
  'clipboard:clear-if': z.tuple([z.string().max(MAX_CLIPBOARD_TEXT)]),
  'capture:status': noArgs,
  'capture:set': z.tuple([z.boolean()]),
};
