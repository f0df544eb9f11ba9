/**
 * Decryption speed (issue targets 4a and 4b):
 *   4a  a gpg-made message with GnuPG's default S2K (iterated SHA-1, 65011712 octets) within
 *       1.5x of one native SHA-1 pass over 65011712 octets;
 *   4b  our own messages under 2 ms each, decrypting a backlog of 200.
 * Run alone with `npx tsx bench/decrypt.bench.ts [--quick]`, or through `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as openpgp from 'openpgp';
import { createNodeWorkerS2kBackend, nodeStreamingS2kBackend } from '../src-main/crypto/nodeS2k';
import { fromBase64, toWrappedBase64 } from '../src-shared/crypto/base64';
import { clearDerivedKeyCache, decryptText, encryptText } from '../src-shared/crypto/message';
import { generatePassword } from '../src-shared/crypto/passwords';
import type { S2kBackend } from '../src-shared/crypto/s2k';
import { webCryptoS2kBackend } from '../src-shared/crypto/webCryptoS2k';
import { measureInChromium } from './decrypt/chromium';

const GNUPG_DEFAULT_COUNT = 65011712;
const BACKLOG = 200;

type Task = () => Promise<unknown> | unknown;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median time of each task, the tasks taking turns run after run: on a shared machine a busy
 * spell then slows the floor and what is compared with it alike, so the ratios hold.
 */
async function interleavedMedians(runs: number, tasks: Task[]): Promise<number[]> {
  for (const task of tasks) await task(); // warm-up: JIT, worker start, first allocations
  const times = tasks.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    for (const [i, task] of tasks.entries()) {
      const start = performance.now();
      await task();
      times[i]!.push(performance.now() - start);
    }
  }
  return times.map(median);
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, col) =>
    Math.max(h.length, ...rows.map((row) => row[col]!.length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, col) => cell.padEnd(widths[col]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** gpg exactly as the stock client runs it, in a throw-away home. */
function gpgEncrypt(home: string, passphrase: string, text: string): string {
  const args = ['--batch', '--quiet', '--pinentry-mode', 'loopback', '--passphrase', passphrase];
  const binary = execFileSync('gpg', [...args, '--symmetric', '--cipher-algo', 'AES256'], {
    input: text,
    env: { ...process.env, GNUPGHOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return toWrappedBase64(binary);
}

export async function run(options: { quick?: boolean } = {}): Promise<void> {
  const runs = options.quick ? 3 : 9;
  const passphrase = generatePassword();
  const text = JSON.stringify({ user: 'stock', text: 'typed in the terminal client', verb: 'say' });
  const home = mkdtempSync(join(tmpdir(), 'localchat-bench-gpg-'));
  const workers = createNodeWorkerS2kBackend(2);
  try {
    const gpgMessage = gpgEncrypt(home, passphrase, text);
    const input = new Uint8Array(GNUPG_DEFAULT_COUNT).fill(0x5a);
    const fastPath = (backend: S2kBackend) => async () => {
      clearDerivedKeyCache(); // every real message has its own salt: never a cache hit
      const plain = await decryptText(gpgMessage, passphrase, { s2kBackend: backend });
      if (plain !== text) throw new Error('wrong plaintext');
    };
    const [floor, webCrypto, streaming, threads] = (await interleavedMedians(runs, [
      // The floor of (a): one native SHA-1 pass over GnuPG's default count, no JS in the loop.
      () => createHash('sha1').update(input).digest(),
      fastPath(webCryptoS2kBackend),
      fastPath(nodeStreamingS2kBackend),
      fastPath(workers),
    ])) as [number, number, number, number];
    const [openpgpPlain] = (await interleavedMedians(Math.min(runs, 5), [
      async () => {
        const message = await openpgp.readMessage({ binaryMessage: fromBase64(gpgMessage) });
        await openpgp.decrypt({ message, passwords: [passphrase], format: 'binary' });
      },
    ])) as [number];

    const backlog: string[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      const message = { user: `user${i % 7}`, text: `backlog message ${i}`, verb: 'say' };
      backlog.push(await encryptText(JSON.stringify(message), passphrase));
    }
    const readBacklog = (backend: S2kBackend, cold: boolean) => async () => {
      if (cold) clearDerivedKeyCache();
      for (const message of backlog)
        await decryptText(message, passphrase, { s2kBackend: backend });
    };
    const [oursWebCrypto, oursStreaming, oursCached] = (
      await interleavedMedians(runs, [
        readBacklog(webCryptoS2kBackend, true),
        readBacklog(nodeStreamingS2kBackend, true),
        readBacklog(webCryptoS2kBackend, false),
      ])
    ).map((total) => total / BACKLOG) as [number, number, number];

    const page = await measureInChromium({ gpgMessage, backlog, passphrase, runs });

    const ms = (value: number) => value.toFixed(value < 10 ? 3 : 1);
    const vsFloor = (label: string, value: number, target = '') => [
      label,
      ms(value),
      (value / floor).toFixed(2),
      target,
    ];
    const ours = (label: string, value: number) => [label, ms(value), '', '< 2 ms'];
    console.log(
      table(
        ['Decryption, median per message', 'ms', 'x floor', 'target'],
        [
          vsFloor('Floor: one node:crypto SHA-1 pass over 65011712 octets', floor),
          vsFloor('(a) gpg default S2K, fast path, WebCrypto backend', webCrypto, '<= 1.5x'),
          vsFloor('(a) gpg default S2K, fast path, node:crypto streaming', streaming, '<= 1.5x'),
          vsFloor(
            '(a) gpg default S2K, fast path, node:crypto 2 worker threads',
            threads,
            '<= 1.5x',
          ),
          vsFloor('(a) gpg default S2K, plain openpgp.js decrypt({ passwords })', openpgpPlain),
          vsFloor('(a) Chromium page: fast path (WebCrypto)', page.gpgFastPath, '<= 1.5x'),
          vsFloor(
            '(a) Chromium page: fast path, 2nd context in a helper worker',
            page.gpgSplit,
            '<= 1.5x',
          ),
          vsFloor('(a) Chromium page: plain openpgp.js decrypt({ passwords })', page.gpgOpenpgp),
          vsFloor(
            'Chromium page: one WebCrypto SHA-1 pass over 65011712 octets',
            page.webCryptoSha1Pass,
          ),
          ours('(b) ours, backlog of 200 from a cold cache, WebCrypto', oursWebCrypto),
          ours('(b) ours, backlog of 200 from a cold cache, node:crypto', oursStreaming),
          ours('(b) ours, backlog of 200, key already cached', oursCached),
          ours('(b) Chromium page: ours, backlog of 200 from a cold cache', page.backlogPerMessage),
          ours(
            '(b) Chromium page: ours, backlog of 200, key already cached',
            page.backlogCachedPerMessage,
          ),
        ],
      ),
    );
    const gpgVersion = execFileSync('gpg', ['--version']).toString().split('\n')[0];
    console.log(
      `\nMedians of ${runs} interleaved runs after a warm-up; ${gpgVersion}; Chromium headless. ` +
        'An AES-256 key from a SHA-1 S2K takes two SHA-1 contexts of 65011712 octets each.',
    );
  } finally {
    await workers.close();
    execFileSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
}

export default run;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run({ quick: process.argv.includes('--quick') });
}
