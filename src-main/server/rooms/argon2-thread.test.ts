import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ARGON2_NICE,
  argon2Hash,
  argon2Matches,
  argon2Thread,
  argon2WorkersRunning,
  ARGON2_THREADS,
} from './argon2-thread';

/** Made by the native `argon2` package (node-argon2 0.45) with the same parameters. */
const NATIVE_HASH =
  '$argon2id$v=19$m=19456,p=1,t=2$mLS7UKjp78vPZjP5p6h1YA$MnPVtvI1GgfoLxf3f6VE63JfUp9Bgtv6fBYf3DV4PxY';

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(20);
  return condition();
}

/**
 * Nice values of this process's threads, from /proc (field 19 of stat, after the comm's ')').
 * A thread may end between listing and reading: it has no nice value to report.
 */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      return [];
    }
    return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  });
}

describe('argon2 on its own thread', () => {
  const defaultIdle = argon2Thread.idleMs;
  afterEach(() => {
    argon2Thread.idleMs = defaultIdle;
  });

  it('hashes with the documented parameters and verifies only the right password', async () => {
    const encoded = await argon2Hash('s3cret password');
    expect(encoded).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(await argon2Matches(encoded, 's3cret password')).toBe(true);
    expect(await argon2Matches(encoded, 's3cret passwore')).toBe(false);
    expect(await argon2Hash('s3cret password')).not.toBe(encoded);
  });

  it('verifies hashes made by the native argon2 implementation', async () => {
    expect(await argon2Matches(NATIVE_HASH, 'correct horse 42')).toBe(true);
    expect(await argon2Matches(NATIVE_HASH, 'correct horse 43')).toBe(false);
  });

  it('rejects a malformed hash and keeps working afterwards', async () => {
    await expect(argon2Matches('$argon2id$nonsense', 'x')).rejects.toThrow(/argon2 verify failed/);
    expect(await argon2Matches(await argon2Hash('after'), 'after')).toBe(true);
  });

  it('answers concurrent requests, each with its own result', async () => {
    const passwords = ['a', 'b', 'c', 'd', 'e'];
    const hashes = await Promise.all(passwords.map((p) => argon2Hash(p)));
    const verdicts = await Promise.all(
      hashes.map((h, i) => argon2Matches(h, passwords[(i + 1) % passwords.length] as string)),
    );
    expect(verdicts).toEqual([false, false, false, false, false]);
    expect(
      await Promise.all(hashes.map((h, i) => argon2Matches(h, passwords[i] as string))),
    ).toEqual([true, true, true, true, true]);
  });

  it('ends the worker, and frees its memory, once idle; a later request starts a new one', async () => {
    argon2Thread.idleMs = 100;
    await argon2Hash('x');
    expect(argon2WorkersRunning()).toBeGreaterThan(0);
    // Workers idle since earlier tests end on their own (default) timeout.
    expect(await until(() => argon2WorkersRunning() === 0, 7_000)).toBe(true);
    expect(await argon2Matches(await argon2Hash('y'), 'y')).toBe(true);
  });

  it('hashes on up to ARGON2_THREADS threads at once, never more', async () => {
    argon2Thread.idleMs = 100;
    expect(await until(() => argon2WorkersRunning() === 0, 7_000)).toBe(true);
    let most = 0;
    const watching = setInterval(() => (most = Math.max(most, argon2WorkersRunning())), 5);
    const passwords = Array.from({ length: 6 }, (_, i) => `p${i}`);
    const hashes = await Promise.all(passwords.map((p) => argon2Hash(p)));
    clearInterval(watching);
    expect(most).toBe(ARGON2_THREADS);
    expect(
      await Promise.all(hashes.map((h, i) => argon2Matches(h, passwords[i] as string))),
    ).toEqual(passwords.map(() => true));
  });

  it.runIf(process.platform === 'linux')(
    "runs below the event loop's scheduling priority, so serving requests comes first",
    async () => {
      // Earlier tests' workers end after 100 ms; their threads go a little after.
      expect(await until(() => !threadNiceValues().includes(ARGON2_NICE), 6_000)).toBe(true);
      argon2Thread.idleMs = 60_000;
      await argon2Hash('z');
      expect(threadNiceValues().filter((n) => n === ARGON2_NICE)).toHaveLength(1);
      // The event loop keeps the priority the process started with (0, unless run under nice).
      expect(threadNiceValues()).toContain(getPriority());
    },
  );
});
