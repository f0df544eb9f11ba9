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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeEach(runs: number, task: () => Promise<unknown> | unknown): Promise<number[]> {
  await task(); // warm-up: JIT, lazy worker start, first allocation
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  return times;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, col) =>
    Math.max(h.length, ...rows.map((row) => row[col]!.length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, col) => cell.padEnd(widths[col]!)).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** gpg exactly as the stock client runs it, in a throw-away home. */
function gpgEncrypt(home: string, passphrase: string, text: string): string {
  const binary = execFileSync(
    'gpg',
    [
      '--batch',
      '--quiet',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      passphrase,
      '--symmetric',
      '--cipher-algo',
      'AES256',
    ],
    { input: text, env: { ...process.env, GNUPGHOME: home }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return toWrappedBase64(binary);
}

export async function run(options: { quick?: boolean } = {}): Promise<void> {
  const runs = options.quick ? 3 : 11;
  const passphrase = generatePassword();
  const text = JSON.stringify({
    user: 'stock',
    text: 'a message typed in the terminal client',
    verb: 'say',
  });
  const home = mkdtempSync(join(tmpdir(), 'localchat-bench-gpg-'));
  const workers = createNodeWorkerS2kBackend(2);
  try {
    const gpgMessage = gpgEncrypt(home, passphrase, text);

    // The floor of (a): one native SHA-1 pass over GnuPG's default S2K count, no JS in the loop.
    const input = new Uint8Array(GNUPG_DEFAULT_COUNT).fill(0x5a);
    const floor = median(await timeEach(runs, () => createHash('sha1').update(input).digest()));

    const fastPath = async (label: string, backend: S2kBackend) => {
      const times = await timeEach(runs, async () => {
        clearDerivedKeyCache(); // every real message has its own salt: never a cache hit
        if ((await decryptText(gpgMessage, passphrase, { s2kBackend: backend })) !== text)
          throw new Error('wrong plaintext');
      });
      return [label, median(times)] as const;
    };
    const openpgpPlain = median(
      await timeEach(Math.min(runs, 5), async () => {
        const message = await openpgp.readMessage({ binaryMessage: fromBase64(gpgMessage) });
        await openpgp.decrypt({ message, passwords: [passphrase], format: 'binary' });
      }),
    );
    const gpgRows = [
      await fastPath('(a) gpg default S2K, fast path, WebCrypto backend', webCryptoS2kBackend),
      await fastPath(
        '(a) gpg default S2K, fast path, node:crypto streaming backend',
        nodeStreamingS2kBackend,
      ),
      await fastPath('(a) gpg default S2K, fast path, node:crypto 2 worker threads', workers),
      ['(a) gpg default S2K, openpgp.js decrypt({ passwords })', openpgpPlain] as const,
    ];

    const backlog: string[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      backlog.push(
        await encryptText(
          JSON.stringify({ user: `user${i % 7}`, text: `backlog message ${i}`, verb: 'say' }),
          passphrase,
        ),
      );
    }
    const backlogRow = async (label: string, backend: S2kBackend, cold: boolean) => {
      const times = await timeEach(runs, async () => {
        if (cold) clearDerivedKeyCache();
        for (const message of backlog)
          await decryptText(message, passphrase, { s2kBackend: backend });
      });
      return [label, median(times) / BACKLOG] as const;
    };
    const ourRows = [
      await backlogRow('(b) ours, backlog of 200, WebCrypto backend', webCryptoS2kBackend, true),
      await backlogRow(
        '(b) ours, backlog of 200, node:crypto streaming backend',
        nodeStreamingS2kBackend,
        true,
      ),
      await backlogRow('(b) ours, backlog of 200, keys already cached', webCryptoS2kBackend, false),
    ];

    const page = await measureInChromium({ gpgMessage, backlog, passphrase, runs });
    const chromiumRows = [
      ['(a) Chromium page: gpg default S2K, fast path (WebCrypto)', page.gpgFastPath] as const,
      [
        '(a) Chromium page: gpg default S2K, openpgp.js decrypt({ passwords })',
        page.gpgOpenpgp,
      ] as const,
      [
        'Chromium page: one WebCrypto SHA-1 pass over 65011712 octets',
        page.webCryptoSha1Pass,
      ] as const,
    ];

    const ms = (value: number) => value.toFixed(value < 10 ? 3 : 1);
    console.log(
      table(
        ['Decryption (median per message)', 'ms', 'x floor', 'target'],
        [
          [
            'Floor: one native SHA-1 pass over 65011712 octets (node:crypto)',
            ms(floor),
            '1.00',
            '',
          ],
          ...gpgRows.map(([label, value]) => [
            label,
            ms(value),
            (value / floor).toFixed(2),
            label.includes('fast path') ? '<= 1.5x' : '',
          ]),
          ...chromiumRows.map(([label, value]) => [
            label,
            ms(value),
            (value / floor).toFixed(2),
            label.includes('fast path') ? '<= 1.5x' : '',
          ]),
          ...ourRows.map(([label, value]) => [label, ms(value), '', '< 2 ms']),
          [
            '(b) Chromium page: ours, backlog of 200, WebCrypto backend',
            ms(page.backlogPerMessage),
            '',
            '< 2 ms',
          ],
        ],
      ),
    );
    console.log(
      `\n${runs} timed runs each after a warm-up; gpg ${execFileSync('gpg', ['--version']).toString().split('\n')[0]}; ` +
        'an AES-256 key from a SHA-1 S2K needs two SHA-1 contexts of 65011712 octets each.',
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
