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

const noArgs = z.tuple([]);

export const invokeArgSchemas: { [K in InvokeChannel]: z.ZodType<InvokeArgs<K>> } = {
  'server:request': z.tuple([serverRequestSchema]),
  'hosting:interfaces': noArgs,
  'hosting:start': z.tuple([hostingStartSchema]),
  'hosting:stop': noArgs,
  'hosting:status': noArgs,
  'hosting:certificate': noArgs,
  'hosting:forget-certificate': noArgs,
  'links:take-pending': noArgs,
};
