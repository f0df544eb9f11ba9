import {
  actionPayloads,
  isActionName,
  type ActionName,
  type ActionPayload,
} from '../../../src-shared/protocol';

export interface ValidRequest<A extends ActionName = ActionName> {
  action: A;
  payload: ActionPayload<A>;
}

/**
 * Checks an envelope's action and payload against the shared schemas. Returns undefined for
 * anything the server must refuse with 400: unknown action, non-object payload, bad fields.
 */
export function validateRequest(action: unknown, payload: unknown): ValidRequest | undefined {
  if (!isActionName(action)) return undefined;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const parsed = actionPayloads[action].safeParse(payload);
  if (!parsed.success) return undefined;
  return { action, payload: parsed.data } as ValidRequest;
}
