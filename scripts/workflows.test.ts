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
    'on %s: downloads Electron, runs npm test and the Electron specs, skips refused',
    async (os) => {
      const { test } = (await workflow('ci.yml')).jobs;
      expect(test!.strategy!.matrix!.os).toEqual(expect.arrayContaining(OSES));
      expect(test!.env).toMatchObject({ LOCALCHAT_REQUIRE_ELECTRON: '1' });
      const commands = commandsOn(test!, os);
      const download = indexOf(commands, /node node_modules\/electron\/install\.js/);
      const npmTest = indexOf(commands, /(^|\s)npm test$/);
      const electronSpec = indexOf(commands, /playwright test e2e\/electron\.spec\.ts/);
      expect(indexOf(commands, /^npm ci/)).toBeGreaterThanOrEqual(0);
      expect(download).toBeGreaterThan(indexOf(commands, /^npm ci/));
      expect(npmTest).toBeGreaterThan(download);
      expect(electronSpec).toBeGreaterThan(download);
      if (os === 'ubuntu-latest') {
        expect(commands[npmTest]).toMatch(/^xvfb-run /);
        expect(commands[electronSpec]).toMatch(/^xvfb-run /);
        expect(commands.join('\n')).toMatch(/apt-get install .*gnupg.*chromium.*xvfb/);
      } else {
        expect(commands.join('\n')).toMatch(/gnupg/);
      }
    },
  );
});

describe('.github/workflows/release.yml', () => {
  it('builds installers only after the test workflow passed', async () => {
    const { jobs } = await workflow('release.yml');
    expect(jobs.tests!.uses).toBe('./.github/workflows/ci.yml');
    expect(jobs.installers!.needs).toBe('tests');
    expect(jobs.installers!.strategy!.matrix!.os).toEqual(expect.arrayContaining(OSES));
  });

  it.each(OSES)(
    'on %s: packages, then publishes the installers with their SHA-256 sums',
    async (os) => {
      const { installers } = (await workflow('release.yml')).jobs;
      const commands = commandsOn(installers!, os);
      const dist = indexOf(commands, /^npm run dist/);
      const sums = indexOf(commands, /node scripts\/checksums\.mjs release /);
      expect(dist).toBeGreaterThan(indexOf(commands, /node node_modules\/electron\/install\.js/));
      expect(sums).toBeGreaterThan(dist);
      const upload = installers!.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact'));
      expect(String((upload as { with?: { path?: string } }).with?.path)).toMatch(/SHA256SUMS/);
    },
  );
});
