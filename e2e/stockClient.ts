import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Stands in for the published Python terminal client: real `gpg --symmetric --cipher-algo AES256`,
 * base64 with 76-character lines, and the payload posted as a JSON *string* over HTTPS.
 */
export class StockClient {
  private readonly home = mkdtempSync(path.join(tmpdir(), 'localchat-gpg-'));
  sesskey = '';
  syskey = '';
  last = 0;

  constructor(
    private readonly server: string,
    readonly room: string,
    private readonly roomPass: string,
    readonly user: string,
    private readonly userPass: string,
  ) {}

  /** Builds one from the `/join ROOM ROOMPASS:USERPASS USER` line an invite shows. */
  static fromJoinLine(server: string, line: string): StockClient {
    const match = /^\/join (\S+) ([^:\s]+):(\S+) (\S+)$/.exec(line);
    if (!match) throw new Error(`not a join line: ${line}`);
    return new StockClient(server, match[1]!, match[2]!, match[4]!, match[3]!);
  }

  post(action: string, payload: object): Promise<{ status: number; json: unknown }> {
    const body = JSON.stringify({ action, payload: JSON.stringify(payload) });
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}/`,
        // A fresh connection per call, as the stock client makes them: no reuse of a socket the
        // server may be closing for idleness.
        {
          method: 'POST',
          rejectUnauthorized: false,
          agent: false,
          headers: { 'Content-Type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  encrypt(plaintext: string, passphrase = this.roomPass): string {
    const binary = execFileSync(
      'gpg',
      [
        '--homedir',
        this.home,
        '--batch',
        '--quiet',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        passphrase,
        '--symmetric',
        '--cipher-algo',
        'AES256',
        '--output',
        '-',
      ],
      { input: plaintext },
    );
    const flat = binary.toString('base64');
    return (flat.match(/.{1,76}/g) ?? []).join('\n') + '\n';
  }

  decrypt(base64: string, passphrase = this.roomPass): string {
    return execFileSync(
      'gpg',
      [
        '--homedir',
        this.home,
        '--batch',
        '--quiet',
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        passphrase,
        '--decrypt',
        '--output',
        '-',
      ],
      { input: Buffer.from(base64.replace(/\s+/g, ''), 'base64') },
    ).toString('utf8');
  }

  async join(): Promise<void> {
    const res = await this.post('joinRoom', {
      roomName: this.room,
      user: this.user,
      userpass: this.userPass,
    });
    const json = res.json as { status: string; session: string; syskey: string; last: number };
    if (res.status !== 200 || json.status !== 'ok')
      throw new Error(`join failed: ${res.status} ${JSON.stringify(json)}`);
    this.sesskey = json.session;
    this.syskey = json.syskey;
    this.last = json.last;
  }

  async say(text: string, verb: 'say' | 'do' = 'say'): Promise<void> {
    await this.sendCiphertext(this.encrypt(JSON.stringify({ user: this.user, text, verb })));
  }

  async sendCiphertext(msg: string): Promise<void> {
    const res = await this.post('sendMsg', {
      roomName: this.room,
      user: this.user,
      sesskey: this.sesskey,
      msg,
    });
    if (res.status !== 200) throw new Error(`sendMsg failed: ${res.status}`);
  }

  /** Polls like the stock client (mylast as a number) and decrypts every row with gpg. */
  async poll(): Promise<
    { from: string; to: string; plain: { user?: string; text: string; verb: string } }[]
  > {
    const res = await this.post('pollMsg', {
      roomName: this.room,
      user: this.user,
      sesskey: this.sesskey,
      mylast: this.last,
    });
    const json = res.json as {
      status: string;
      messages?: [number, string, number, string, string][];
    };
    if (res.status !== 200) throw new Error(`pollMsg failed: ${res.status}`);
    const rows = json.messages ?? [];
    for (const [id] of rows) this.last = Math.max(this.last, id);
    return rows.map(([, msg, , from, to]) => ({
      from,
      to,
      plain: JSON.parse(this.decrypt(msg, from === 'SYSTEM' ? this.syskey : this.roomPass)) as {
        user?: string;
        text: string;
        verb: string;
      },
    }));
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
