import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The real GnuPG CLI in a throwaway GNUPGHOME, driven exactly as the stock client drives it. */
export class Gpg {
  readonly home = mkdtempSync(path.join(tmpdir(), 'lc-gnupg-'));

  private run(args: string[], input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'gpg',
        ['--homedir', this.home, '--batch', '--quiet', '--pinentry-mode', 'loopback', ...args],
        { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`gpg ${args[0]} failed: ${stderr.toString()}`));
          else resolve(stdout);
        },
      );
      child.stdin?.end(input);
    });
  }

  /** Binary (not armored) AES-256 symmetric encryption, base64 with 76-character lines. */
  async encryptForRoom(plaintext: string, passphrase: string): Promise<string> {
    const binary = await this.run(
      ['--symmetric', '--cipher-algo', 'AES256', '--passphrase', passphrase, '--output', '-'],
      Buffer.from(plaintext, 'utf8'),
    );
    const flat = binary.toString('base64');
    let out = '';
    for (let i = 0; i < flat.length; i += 76) out += `${flat.slice(i, i + 76)}\n`;
    return out;
  }

  async decrypt(base64: string, passphrase: string): Promise<string> {
    const binary = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
    return (await this.run(['--decrypt', '--passphrase', passphrase], binary)).toString('utf8');
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
