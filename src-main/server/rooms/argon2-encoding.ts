/**
 * The PHC string form of an argon2id hash, `$argon2id$v=19$m=19456,t=2,p=1$salt$tag` (unpadded
 * base64), as the reference implementation and the native addon write it.
 */

/** OWASP's argon2id minimum: cheap enough for a laptop host, still costly to brute-force offline. */
export const ARGON2_PARAMETERS = {
  memorySize: 19_456,
  passes: 2,
  parallelism: 1,
  tagLength: 32,
} as const;

const VERSION = 19;

export function encodeArgon2(salt: Uint8Array, tag: Uint8Array): string {
  const { memorySize, passes, parallelism } = ARGON2_PARAMETERS;
  return `$argon2id$v=${VERSION}$m=${memorySize},t=${passes},p=${parallelism}$${unpadded(salt)}$${unpadded(tag)}`;
}

/**
 * Salt and tag of a hash made with exactly our parameters, in any order of m, t and p; undefined
 * for anything else, so verifying never runs at a cost a stored string chose.
 */
export function decodeArgon2(encoded: string): { salt: Buffer; tag: Buffer } | undefined {
  const match = /^\$argon2id\$v=(\d+)\$([a-z=0-9,]+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    encoded,
  );
  if (!match || Number(match[1]) !== VERSION) return undefined;
  const pairs = (match[2] as string).split(',').map((pair) => pair.split('=') as [string, string]);
  const parameters = new Map(pairs);
  const { memorySize, passes, parallelism, tagLength } = ARGON2_PARAMETERS;
  if (
    pairs.length !== 3 ||
    parameters.size !== 3 ||
    parameters.get('m') !== String(memorySize) ||
    parameters.get('t') !== String(passes) ||
    parameters.get('p') !== String(parallelism)
  )
    return undefined;
  const salt = strictBase64(match[3] as string);
  const tag = strictBase64(match[4] as string);
  if (!salt || salt.length < 8 || !tag || tag.length !== tagLength) return undefined;
  return { salt, tag };
}

function unpadded(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/=+$/, '');
}

/** Node's decoder skips what it cannot read: only a string that re-encodes to itself counts. */
function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return unpadded(bytes) === text ? bytes : undefined;
}
