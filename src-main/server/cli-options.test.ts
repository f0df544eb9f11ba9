import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStartError, parseCliArgs, type CliParse } from './cli-options';

describe('parseCliArgs', () => {
  it('defaults to 127.0.0.1:8090, in memory, no web client', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { host: '127.0.0.1', port: 8090 } });
  });

  it('maps every flag, seconds to milliseconds', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-cli-opts-'));
    try {
      writeFileSync(path.join(dir, 'c.pem'), 'CERT');
      writeFileSync(path.join(dir, 'k.pem'), 'KEY');
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
      const parsed = parseCliArgs([
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--cert',
        path.join(dir, 'c.pem'),
        '--key',
        path.join(dir, 'k.pem'),
        '--purge-interval',
        '30',
        '--message-ttl',
        '180',
        '--notice-ttl',
        '1.5',
        '--idle-close',
        '3600',
        '--testing-mode',
        'db.sqlite',
        '--web',
        dir,
        '--path-prefix',
        '/s3cr3t',
      ]);
      expect(parsed).toEqual({
        kind: 'run',
        options: {
          host: '0.0.0.0',
          port: 0,
          tls: { cert: 'CERT', key: 'KEY' },
          testingMode: { dbFile: 'db.sqlite' },
          purgeIntervalMs: 30_000,
          messageMaxAgeMs: 180_000,
          noticeMaxAgeMs: 1_500,
          idleRoomMs: 3_600_000,
          web: { dir, pathPrefix: '/s3cr3t' },
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sets the createRoom limit per address, and its loopback exemption', () => {
    expect(parseCliArgs(['--create-limit', '200'])).toMatchObject({
      options: { createThrottle: { perAddress: 200 } },
    });
    expect(parseCliArgs(['--create-limit-exempt-loopback'])).toMatchObject({
      options: { createThrottle: { exemptLoopback: true } },
    });
    for (const bad of ['0', '-1', '1.5', 'many'])
      expect(parseCliArgs(['--create-limit', bad])).toMatchObject({ kind: 'error' });
  });

  it("serves the package's own build by default, wherever it is started from", () => {
    const parsed = parseCliArgs(['--web']);
    if (parsed.kind === 'error') expect(parsed.message).toMatch(/npm run build:renderer/);
    else
      expect(parsed).toMatchObject({
        options: { web: { dir: path.resolve(import.meta.dirname, '../../dist/renderer') } },
      });
  });

  describe('the secret path of the page (--web without --path-prefix)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'lc-cli-web-'));
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const prefixOf = (parsed: CliParse) =>
      parsed.kind === 'run' ? parsed.options.web?.pathPrefix : undefined;

    it('is random, URL-safe and long enough that nobody guesses it (144 bits)', () => {
      const prefixes = Array.from({ length: 200 }, () => prefixOf(parseCliArgs(['--web', dir])));
      for (const prefix of prefixes) expect(prefix).toMatch(/^\/[A-Za-z0-9_-]{24}$/);
      expect(new Set(prefixes).size).toBe(prefixes.length);
      // Every base64url character shows up at every position: no fixed or biased part.
      for (let position = 1; position <= 24; position++) {
        const seen = new Set(prefixes.map((p) => p![position]));
        expect(seen.size, `position ${position}`).toBeGreaterThan(40);
      }
    });

    it('keeps a prefix that was given', () => {
      expect(prefixOf(parseCliArgs(['--web', dir, '--path-prefix', '/mine']))).toBe('/mine');
    });
  });

  it.each([
    [['--port', 'abc'], /port/],
    [['--port', '70000'], /port/],
    [['--bogus'], /unknown option '--bogus'/],
    [
      ['--cert', '/nonexistent/c.pem', '--key', '/nonexistent/k.pem'],
      /cannot read \/nonexistent\/c\.pem/,
    ],
    [['--cert', '/nonexistent/c.pem'], /--cert and --key/],
    [['--idle-close', '-5'], /positive number of seconds/],
    [['--message-ttl', '0'], /positive number of seconds/],
    [['--path-prefix', '/x'], /needs --web/],
    [['--host'], /argument missing/],
    [['--web', '/nonexistent/page'], /^--web: no index\.html in \/nonexistent\/page$/],
    [['--web', '--path-prefix', '/my secret'], /^--path-prefix: use only letters/],
    [['--web', '--path-prefix', '/a?b'], /^--path-prefix: use only letters/],
    [['--web', '--path-prefix', '/caf\u00e9'], /^--path-prefix: use only letters/],
  ])('refuses %j with one line', (args, message) => {
    const parsed = parseCliArgs(args);
    expect(parsed.kind).toBe('error');
    if (parsed.kind !== 'error') return;
    expect(parsed.message).toMatch(message);
    expect(parsed.message).not.toContain('\n');
  });

  it('lists every flag in --help', () => {
    const parsed = parseCliArgs(['--help']);
    expect(parsed.kind).toBe('help');
    for (const flag of [
      '--host',
      '--port',
      '--path-prefix',
      '--cert',
      '--key',
      '--purge-interval',
      '--message-ttl',
      '--notice-ttl',
      '--idle-close',
      '--testing-mode',
      '--web',
    ]) {
      expect(parsed.kind === 'help' && parsed.text).toContain(flag);
    }
  });
});

describe('describeStartError', () => {
  it('says what the error code means', () => {
    const inUse = Object.assign(
      new Error('listen EADDRINUSE: address already in use 127.0.0.1:8090'),
      { code: 'EADDRINUSE' },
    );
    expect(describeStartError(inUse, '127.0.0.1', 8090)).toBe(
      'cannot start on 127.0.0.1:8090: port already in use',
    );
    const gone = Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' });
    expect(describeStartError(gone, '10.0.0.9', 8090)).toBe(
      'cannot start on 10.0.0.9:8090: address not available on this machine',
    );
    const unknownName = Object.assign(new Error('getaddrinfo ENOTFOUND notahost'), {
      code: 'ENOTFOUND',
    });
    expect(describeStartError(unknownName, 'notahost', 8090)).toBe(
      'cannot start on notahost:8090: the host name cannot be resolved to an address',
    );
  });
});
