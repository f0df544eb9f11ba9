import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStartError, parseCliArgs } from './cli-options';

describe('parseCliArgs', () => {
  it('defaults to 127.0.0.1:8090, in memory, no web client', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { host: '127.0.0.1', port: 8090 } });
  });

  it('maps every flag, seconds to milliseconds', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lc-cli-opts-'));
    try {
      writeFileSync(path.join(dir, 'c.pem'), 'CERT');
      writeFileSync(path.join(dir, 'k.pem'), 'KEY');
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
          web: { dir: 'dist/renderer', pathPrefix: '/s3cr3t' },
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(parseCliArgs(['--web', 'build/web'])).toMatchObject({
      options: { web: { dir: 'build/web' } },
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
  });
});
