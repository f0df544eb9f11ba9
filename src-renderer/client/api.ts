import {
  actionPayloads,
  actionResponses,
  type ActionInput,
  type ActionName,
  type ActionResponse,
} from '../../src-shared/protocol';
import type { SendOptions, Transport } from './transport';

export type ApiErrorKind =
  | 'invalid-input'
  | 'bad-request'
  | 'forbidden'
  /**
   * 503: the server holds as many messages as it may (space frees as they expire), or its
   * password-hashing queue is full.
   */
  | 'server-busy'
  /** 429: too many failed joins for this name or from this address; the lockout ends by itself. */
  | 'locked-out'
  | 'server-error'
  | 'unreachable'
  | 'certificate-mismatch'
  | 'malformed';

/** A failed call, classified so each caller can word its own message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    readonly action: ActionName,
    message: string,
    readonly status?: number,
    /** From the answer's `Retry-After` (429, 503): seconds until trying again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Worth retrying: the server may come back. */
  get transient(): boolean {
    return (
      this.kind === 'unreachable' ||
      this.kind === 'server-busy' ||
      this.kind === 'server-error' ||
      this.kind === 'malformed'
    );
  }
}

export interface Api {
  readonly transport: Transport;
  /** Certificate fingerprint the server presented on the last call, when the host can see it. */
  readonly fingerprint: string | undefined;
  call<A extends ActionName>(
    action: A,
    payload: ActionInput<A>,
    options?: SendOptions,
  ): Promise<ActionResponse<A>>;
}

/** What the user called each payload field, for input errors. */
const FIELD_LABELS: Record<string, string> = {
  roomName: 'Room name',
  owner: 'Your name',
  user: 'User name',
  pass: 'Password',
  userpass: 'Password',
  invite: 'Name',
  kick: 'Name',
  to: 'Recipient',
  msg: 'Message',
};

/** Typed calls: payloads checked against the shared schemas before sending, answers validated after. */
export function createApi(transport: Transport): Api {
  let fingerprint: string | undefined = transport.server.fingerprint;
  return {
    transport,
    get fingerprint() {
      return fingerprint;
    },
    async call(action, payload, options) {
      const input = actionPayloads[action].safeParse(payload);
      if (!input.success) {
        const issue = input.error.issues[0];
        const path = issue?.path.join('.') ?? '';
        const field = FIELD_LABELS[path] ?? path;
        throw new ApiError(
          'invalid-input',
          action,
          `${field ? field + ' ' : ''}${issue?.message ?? 'is invalid'}`,
        );
      }
      const reply = await transport.send(action, payload, options);
      if (reply.kind === 'unreachable') throw new ApiError('unreachable', action, reply.message);
      if (reply.kind === 'certificate-mismatch') {
        throw new ApiError(
          'certificate-mismatch',
          action,
          `The server's certificate (${reply.actual}) does not match the invite (${reply.expected}).`,
        );
      }
      if (reply.fingerprint) fingerprint = reply.fingerprint;
      if (reply.status === 400) throw new ApiError('bad-request', action, 'Bad request', 400);
      if (reply.status === 403) throw new ApiError('forbidden', action, 'Forbidden', 403);
      if (reply.status === 503) {
        throw new ApiError(
          'server-busy',
          action,
          'The server is busy or full; try again later',
          503,
          reply.retryAfter,
        );
      }
      if (reply.status === 429) {
        throw new ApiError(
          'locked-out',
          action,
          'Too many attempts; locked out for a while',
          429,
          reply.retryAfter,
        );
      }
      if (reply.status !== 200)
        throw new ApiError('server-error', action, `Server error ${reply.status}`, reply.status);
      const parsed = actionResponses[action].safeParse(reply.body);
      if (!parsed.success)
        throw new ApiError(
          'malformed',
          action,
          'The server sent an answer this client does not understand',
        );
      return parsed.data as ActionResponse<typeof action>;
    },
  };
}
