import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfTestCommand } from './run-self-test.mjs';

const script = path.join(import.meta.dirname, 'run-self-test.mjs');

function run(app: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, app], (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('selfTestCommand', () => {
  it('runs a packaged app with --self-test', () => {
    expect(selfTestCommand(script)).toEqual({ command: script, args: ['--self-test'] });
  });

  it('says what is missing instead of starting nothing', () => {
    expect(selfTestCommand('/nonexistent/LocalChat.AppImage')).toEqual({
      error: '/nonexistent/LocalChat.AppImage does not exist',
    });
    expect(selfTestCommand(undefined, null)).toEqual({
      error: expect.stringMatching(/no binary: run `node node_modules\/electron\/install\.js`/),
    });
  });
});

// A stand-in "app" (a shell script) shows the exit status and report pass through.
describe.skipIf(process.platform === 'win32')('run-self-test.mjs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'localchat-run-self-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fakeApp(name: string, body: string): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
    return file;
  }

  it('passes the report through and exits 0 when the app does', async () => {
    const app = await fakeApp('good', 'echo "ok 1 - $1"; exit 0');
    const result = await run(app);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok 1 - --self-test');
  });

  it('exits non-zero when the app does, saying so', async () => {
    const app = await fakeApp('bad', 'echo "not ok 4 - invite"; exit 3');
    const result = await run(app);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('not ok 4 - invite');
    expect(result.stderr).toContain('self-test: the app exited with 3');
  });

  it('exits non-zero for an app that does not exist', async () => {
    const result = await run(path.join(dir, 'missing'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/missing does not exist/);
  });
});
