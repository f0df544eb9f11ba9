export interface Envelope {
  action: unknown;
  payload: unknown;
}

/**
 * Reads `{"action","payload"}` from a request body. The stock client sends the payload as a
 * JSON-encoded string, the seed document as an object: both are accepted. Returns undefined for
 * anything that is not such an envelope.
 */
export function parseEnvelope(body: Buffer): Envelope | undefined {
  const outer = parseJson(body.toString('utf8'));
  if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) return undefined;
  const { action, payload } = outer as Record<string, unknown>;
  if (typeof payload === 'string') {
    const inner = parseJson(payload);
    return inner === undefined ? undefined : { action, payload: inner };
  }
  return { action, payload };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
