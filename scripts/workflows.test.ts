import { readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

// The workflows cannot run on this project's own CI machine; this keeps them from silently
// losing a step.
const root = path.resolve(import.meta.dirname, '..');
const OSES = ['ubuntu-latest', 'windows-latest', 'macos-latest'];

interface Step {
  name?: string;
  run?: string;
  if?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  needs?: string | string[];
  uses?: string;
  env?: Record<string, string>;
  strategy?: { matrix?: { os?: string[] } };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

async function workflow(name: string): Promise<Workflow> {
  const text = await readFile(path.join(root, '.github', 'workflows', name), 'utf8');
  // YAML reads the key `on` as true under YAML 1.1; js-yaml (YAML 1.2 core) keeps it a string.
  return yaml.load(text) as Workflow;
}

/** The commands a job runs on one OS (steps without `if`, or whose `if` names that OS). */
function commandsOn(job: Job, os: string): string[] {
  const runnerOs = {
    'ubuntu-latest': 'Linux',
    'windows-latest': 'Windows',
    'macos-latest': 'macOS',
  }[os];
  return (job.steps ?? [])
    .filter((step) => {
      if (!step.if) return true;
      const is = /runner\.os == '(\w+)'/.exec(step.if);
      const isNot = /runner\.os != '(\w+)'/.exec(step.if);
      if (is) return is[1] === runnerOs;
      if (isNot) return isNot[1] !== runnerOs;
      return true;
    })
    .flatMap((step) => (step.run ? [step.run] : []));
}

const indexOf = (commands: string[], pattern: RegExp) => commands.findIndex((c) => pattern.test(c));

describe('.github/workflows/ci.yml', () => {
  it('runs on every push and pull request, and for the release', async () => {
    const ci = await workflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
  });

  it.each(OSES)(
    'on %s: downloads Electron, runs npm test, the Electron specs and the self-test, skips refused',
    async (os) => {
      const { test } = (await workflow('ci.yml')).jobs;
      expect(test!.strategy!.matrix!.os).toEqual(expect.arrayContaining(OSES));
      expect(test!.env).toMatchObject({ LOCALCHAT_REQUIRE_ELECTRON: '1' });
      const commands = commandsOn(test!, os);
      const install = indexOf(commands, /^npm ci/);
      const download = indexOf(commands, /node node_modules\/electron\/install\.js/);
      const npmTest = indexOf(commands, /(^|\s)npm test$/);
      const electronSpec = indexOf(commands, /playwright test e2e\/electron\.spec\.ts/);
      const build = indexOf(commands, /^npm run build$/);
      const selfTest = indexOf(commands, /node scripts\/run-self-test\.mjs$/);
      expect(install).toBeGreaterThanOrEqual(0);
      expect(download).toBeGreaterThan(install);
      expect(npmTest).toBeGreaterThan(download);
      expect(electronSpec).toBeGreaterThan(download);
      expect(build).toBeGreaterThan(download);
      expect(selfTest).toBeGreaterThan(build);
      if (os === 'ubuntu-latest') {
        for (const step of [npmTest, electronSpec, selfTest])
          expect(commands[step]).toMatch(/^xvfb-run /);
        expect(commands.join('\n')).toMatch(/apt-get install .*gnupg.*xvfb/);
      } else {
        expect(commands.join('\n')).toMatch(/gnupg/);
      }
    },
  );

  it.each(OSES)(
    'on %s: checks the store engine in Electron before its e2e, and self-tests the packaged app',
    async (os) => {
      const { test } = (await workflow('ci.yml')).jobs;
      const commands = commandsOn(test!, os);
      const download = indexOf(commands, /node node_modules\/electron\/install\.js/);
      const engine = indexOf(commands, /^npx tsx scripts\/store-engine\.ts$/);
      const npmTest = indexOf(commands, /(^|\s)npm test$/);
      const electronSpec = indexOf(commands, /playwright test e2e\/electron\.spec\.ts/);
      expect(engine).toBeGreaterThan(download);
      expect(engine).toBeLessThan(npmTest);
      expect(engine).toBeLessThan(electronSpec);
      const nodeSqlite = test!.steps!.find((s) => s.env?.LOCALCHAT_SQLITE === 'node:sqlite');
      expect(nodeSqlite?.run).toMatch(/^npx vitest run src-main\/server\/store/);
      const pack = indexOf(commands, /^npx electron-builder --dir .*--publish never$/);
      const packaged = commands.findIndex(
        (c, i) => i > pack && /node scripts\/run-self-test\.mjs "?(release|\$app)/.test(c),
      );
      expect(pack).toBeGreaterThan(indexOf(commands, /^npm run build$/));
      expect(packaged).toBeGreaterThan(pack);
      if (os === 'windows-latest') {
        const gnupg = commands.find((c) => c.includes('choco install gnupg'))!;
        // 64-bit GnuPG lands in Program Files, 32-bit in Program Files (x86): found, not assumed.
        expect(gnupg).toMatch(/Test-Path/);
        expect(gnupg).toMatch(/Split-Path \$gpg \| Out-File -FilePath \$env:GITHUB_PATH/);
      }
    },
  );

  it('tests on a Node that Electron tooling supports, with a browser for the browser e2e', async () => {
    const { test } = (await workflow('ci.yml')).jobs;
    const setup = test!.steps!.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(
      Number((setup as { with: { 'node-version': unknown } }).with['node-version']),
    ).toBeGreaterThanOrEqual(22);
    expect(test!.env).toMatchObject({ LOCALCHAT_BROWSER_CHANNEL: 'chrome' });
  });

  it('keeps Node 20 supported for development and the headless server', async () => {
    const { node20 } = (await workflow('ci.yml')).jobs;
    const setup = node20!.steps!.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(String((setup as { with: { 'node-version': unknown } }).with['node-version'])).toMatch(
      /^20\./,
    );
    expect(commandsOn(node20!, 'ubuntu-latest')).toContain('npm test');
    // Without Electron there, its specs skip (printing why) rather than fail.
    expect(node20!.env?.LOCALCHAT_REQUIRE_ELECTRON).toBeUndefined();
  });
});

describe('.github/workflows/release.yml', () => {
  it('builds installers only after the test workflow passed', async () => {
    const { jobs } = await workflow('release.yml');
    expect(jobs.tests!.uses).toBe('./.github/workflows/ci.yml');
    expect(jobs.installers!.needs).toBe('tests');
    expect(jobs.installers!.strategy!.matrix!.os).toEqual(expect.arrayContaining(OSES));
  });

  it.each(OSES)(
    'on %s: packages, self-tests the installed app, then publishes it with SHA-256 sums',
    async (os) => {
      const { installers } = (await workflow('release.yml')).jobs;
      const commands = commandsOn(installers!, os);
      const dist = indexOf(commands, /^npm run dist/);
      const selfTest = indexOf(commands, /node scripts\/run-self-test\.mjs "?\S/);
      const sums = indexOf(commands, /node scripts\/checksums\.mjs release /);
      expect(dist).toBeGreaterThan(indexOf(commands, /node node_modules\/electron\/install\.js/));
      expect(selfTest).toBeGreaterThan(dist);
      expect(sums).toBeGreaterThan(selfTest);
      const installed = {
        'ubuntu-latest': /^xvfb-run -a node scripts\/run-self-test\.mjs release\/\S+\.AppImage$/m,
        'windows-latest':
          /Start-Process -Wait -FilePath \$installer[\s\S]*run-self-test\.mjs "[^"]+\.exe"/,
        'macos-latest': /hdiutil attach[\s\S]*run-self-test\.mjs "[^"]+\.app\/Contents\/MacOS\//,
      }[os]!;
      expect(commands[selfTest]).toMatch(installed);
      const upload = installers!.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact'));
      expect(String((upload as { with?: { path?: string } }).with?.path)).toMatch(/SHA256SUMS/);
    },
  );

  it('packages no native addon, so nothing is compiled for Electron, on Node 22+', async () => {
    const builder = yaml.load(await readFile(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      npmRebuild: boolean;
      files: string[];
      asarUnpack?: unknown;
    };
    expect(builder.npmRebuild).toBe(false);
    expect(builder.files).toContain('!**/node_modules/better-sqlite3/build/**');
    expect(builder.asarUnpack).toBeUndefined();
    const { installers } = (await workflow('release.yml')).jobs;
    const setup = installers!.steps!.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(
      Number((setup as { with: { 'node-version': unknown } }).with['node-version']),
    ).toBeGreaterThanOrEqual(22);
  });

  it('never publishes through electron-builder or ships an updater', async () => {
    const { installers } = (await workflow('release.yml')).jobs;
    for (const os of OSES)
      expect(commandsOn(installers!, os).find((c) => /^npm run dist/.test(c))).toMatch(
        /--publish never/,
      );
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(names.filter((n) => /updat/i.test(n))).toEqual([]);
    const builder = yaml.load(
      await readFile(path.join(root, 'electron-builder.yml'), 'utf8'),
    ) as Record<string, unknown>;
    expect(builder.publish).toBeNull();
  });
});
