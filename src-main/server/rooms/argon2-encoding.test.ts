import { describe, expect, it } from 'vitest';
import { decodeArgon2, encodeArgon2 } from './argon2-encoding';

const SALT = Buffer.alloc(16, 0xa5);
const TAG = Buffer.alloc(32, 0x3c);

describe('argon2id PHC strings', () => {
  it('writes the reference form and reads it back', () => {
    const encoded = encodeArgon2(SALT, TAG);
    expect(encoded).toBe(
      `$argon2id$v=19$m=19456,t=2,p=1$${SALT.toString('base64').replace(/=+$/, '')}$${TAG.toString('base64').replace(/=+$/, '')}`,
    );
    expect(decodeArgon2(encoded)).toEqual({ salt: SALT, tag: TAG });
  });

  it('reads the native addon’s order of parameters', () => {
    const [, , , , salt, tag] = encodeArgon2(SALT, TAG).split('$');
    expect(decodeArgon2(`$argon2id$v=19$m=19456,p=1,t=2$${salt}$${tag}`)).toEqual({
      salt: SALT,
      tag: TAG,
    });
  });

  it('refuses other algorithms, versions and costs, so a stored string never sets the work', () => {
    const [, , , , salt, tag] = encodeArgon2(SALT, TAG).split('$');
    for (const head of [
      '$argon2i$v=19$m=19456,t=2,p=1',
      '$argon2id$v=16$m=19456,t=2,p=1',
      '$argon2id$v=19$m=4194304,t=2,p=1',
      '$argon2id$v=19$m=19456,t=1000,p=1',
      '$argon2id$v=19$m=19456,t=2,p=4',
      '$argon2id$v=19$m=19456,t=2',
      '$argon2id$v=19$m=19456,t=2,p=1,p=1',
      '$argon2id$v=19$m=19456,t=2,p=1,x=1',
    ])
      expect(decodeArgon2(`${head}$${salt}$${tag}`), head).toBeUndefined();
  });

  it('refuses malformed salts and tags', () => {
    const [, , , , salt] = encodeArgon2(SALT, TAG).split('$');
    for (const encoded of [
      '$argon2id$nonsense',
      '',
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${Buffer.alloc(31).toString('base64').replace(/=+$/, '')}`,
      `$argon2id$v=19$m=19456,t=2,p=1$AAAA$${TAG.toString('base64').replace(/=+$/, '')}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}=$${TAG.toString('base64')}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${TAG.toString('base64').replace(/=+$/, '')}B`,
    ])
      expect(decodeArgon2(encoded), encoded).toBeUndefined();
  });
});
