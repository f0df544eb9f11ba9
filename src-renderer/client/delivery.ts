import { LIMITS } from '../../src-shared/protocol';
import { ApiError } from './api';
import { formatWait } from './errors';

/**
 * Where one of our messages is: shown at once as sending, sent once the server answers with its
 * msgid, waiting while the server does not answer (it goes again by itself), failed (with the
 * real reason) when the server refused it. A failed message keeps its text for Retry/Edit.
 */
export type Delivery =
  | { state: 'sending' }
  | { state: 'waiting' }
  | { state: 'sent' }
  | { state: 'failed'; reason: string };

/**
 * OpenPGP's packets around the plaintext (SKESK with salt, SEIPD header and MDC, literal data
 * header) take under 100 bytes uncompressed; 512 keeps the estimate on the safe side.
 */
const CIPHERTEXT_OVERHEAD_BYTES = 512;

/** base64 characters the encrypted form of this plaintext may take, at most. */
export function estimatedCiphertextChars(plaintext: string): number {
  const bytes = new TextEncoder().encode(plaintext).length + CIPHERTEXT_OVERHEAD_BYTES;
  return Math.ceil(bytes / 3) * 4;
}

/** Whether the server will take this plaintext once encrypted (checked before anything is sent). */
export function fitsMessageLimit(plaintext: string): boolean {
  return estimatedCiphertextChars(plaintext) <= LIMITS.messageLength;
}

export const TOO_LONG = 'too long for the server';

/** One short phrase for why a send failed, from the API's classified errors. */
export function failureReason(
  error: unknown,
  action: 'sendMsg' | 'sendDirectMsg',
  to?: string,
): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  switch (error.kind) {
    case 'unreachable':
      return /time(d)? ?out|timeout/i.test(error.message) ? 'timed out' : 'server unreachable';
    case 'server-busy':
      return error.retryAfterSeconds === undefined
        ? 'server full, try again in a minute'
        : `server full, try again in ${formatWait(error.retryAfterSeconds)}`;
    case 'forbidden':
      return 'session ended';
    case 'bad-request':
    case 'invalid-input':
      // Sizes are checked before sending, so a refused DM names an absent recipient.
      return action === 'sendDirectMsg'
        ? `“${to ?? ''}” is not in the room`
        : `refused as ${TOO_LONG}`;
    case 'certificate-mismatch':
      return 'server certificate changed';
    default:
      return `server error (${error.message})`;
  }
}

/** What a direct message's tag says before the name it shows. */
export type DmTag = { prefix: string; name: string };

/**
 * The tag of a direct message. "DM to X" is said only of a DM the server accepted: while sending
 * or after a refusal (an absent or reserved name, a failure) the line says it was not delivered.
 */
export function dmTag(line: {
  from: string;
  to?: string;
  outgoing?: boolean;
  delivery?: Delivery;
}): DmTag | undefined {
  if (line.to === undefined) return undefined;
  if (!line.outgoing) return { prefix: 'DM from ', name: line.from };
  switch (line.delivery?.state) {
    case 'sending':
      return { prefix: 'Sending DM to ', name: line.to };
    case 'waiting':
      return { prefix: 'Waiting to send DM to ', name: line.to };
    case 'failed':
      return { prefix: 'Not delivered to ', name: line.to };
    default:
      return { prefix: 'DM to ', name: line.to };
  }
}
