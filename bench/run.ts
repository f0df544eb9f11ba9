/**
 * `npm run bench`: the figures of issue #5. Each scenario starts its own server process and a
 * separate load-generator process, and talks HTTPS with keep-alive to 127.0.0.1 only.
 * `--quick` is a smoke run of every scenario with tiny sizes; `--only poll,delivery` picks some.
 * The reports also go to bench-report.md (gitignored), to paste into BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { describeLoad, describeMachine } from './harness/machine';
import { deliveryLatency } from './scenarios/delivery-latency';
import { joinStorm } from './scenarios/join-storm';
import { pollThroughput } from './scenarios/poll-throughput';
import type { Scenario, ServerRunOptions } from './scenarios/scenario';
import { serverMemory } from './scenarios/server-memory';
import { startup } from './scenarios/startup';

const BUILT_IN: Scenario[] = [pollThroughput, joinStorm, deliveryLatency, serverMemory, startup];

/**
 * Other `bench/*.bench.ts` files: each default-exports `run()`, which prints its own figures
 * (captured as the scenario's report).
 */
async function discoveredScenarios(): Promise<Scenario[]> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
  return files.map((file) => ({
    name: basename(file, '.bench.ts'),
    title: file,
    printsReport: true,
    async run({ quick }) {
      const module = (await import(pathToFileURL(`${dir}${file}`).href)) as { default?: unknown };
      if (typeof module.default !== 'function')
        throw new Error(`${file} has no default export to run`);
      // It prints its own tables; they are kept for bench-report.md too.
      const printed: string[] = [];
      const log = console.log;
      console.log = (...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
        log(...args);
      };
      try {
        await (module.default as (options: { quick: boolean }) => Promise<void>)({ quick });
      } finally {
        console.log = log;
      }
      return printed.join('\n');
    },
  }));
}

const program = new Command()
  .name('bench')
  .description('LocalChat server benchmarks (issue #5)')
  .option('--quick', 'smoke run: tiny sizes, a few seconds per scenario')
  .option('--only <names>', 'comma-separated scenarios to run')
  .option(
    '--markdown <file>',
    'where to write the reports as Markdown (gitignored), after each scenario',
    'bench-report.md',
  )
  .option('--cpu-prof <dir>', 'write V8 CPU profiles of the server processes into this directory')
  .option(
    '--server-node-flags <flags>',
    'extra Node flags for the server processes, space-separated',
  )
  .option(
    '--server-env <pairs>',
    'extra environment for the server processes, e.g. MALLOC_ARENA_MAX=2,FOO=1',
  )
  .parse();
const options = program.opts<{
  serverNodeFlags?: string;
  serverEnv?: string;
  quick?: boolean;
  only?: string;
  markdown: string;
  cpuProf?: string;
}>();

const serverRun: ServerRunOptions = {
  cpuProfileDir: options.cpuProf,
  nodeFlags: options.serverNodeFlags?.split(' ').filter(Boolean),
  env: Object.fromEntries(
    (options.serverEnv?.split(',').filter(Boolean) ?? []).map((pair) => {
      const at = pair.indexOf('=');
      return at > 0 ? [pair.slice(0, at), pair.slice(at + 1)] : [pair, ''];
    }),
  ),
};

const all = [...BUILT_IN, ...(await discoveredScenarios())];
const wanted = options.only
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = wanted?.filter((name) => !all.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `Unknown scenario ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted ? all.filter((s) => wanted.includes(s.name)) : all;
const quick = options.quick === true;

/** The commit measured, and whether the work tree differs from it. */
function describeCommit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no')
      ? ' plus uncommitted changes'
      : '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const header = [
  `Machine: ${describeMachine()}`,
  `Commit: ${describeCommit()}`,
  `Command: npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  `Date: ${new Date().toISOString()}, ${describeLoad()}`,
  ...(options.serverNodeFlags || options.serverEnv
    ? [`Server process: node ${options.serverNodeFlags ?? ''} ${options.serverEnv ?? ''}`.trimEnd()]
    : []),
].join('\n');
console.log(`${header}\n`);
const reports = [header];
/** Written after every scenario, so a long run that fails late still leaves the earlier tables. */
const writeReports = () => writeFileSync(options.markdown, `${reports.join('\n\n')}\n`);
let failed = 0;
const started = Date.now();
for (const scenario of selected) {
  console.log(`## ${scenario.title}\n`);
  const scenarioStarted = Date.now();
  try {
    const load = `Before this scenario: ${describeLoad()}.`;
    const report = await scenario.run({ quick, serverRun });
    console.log(report && !scenario.printsReport ? `${report}\n${load}` : load);
    reports.push(`## ${scenario.title}\n\n${report}\n${load}`);
    writeReports();
  } catch (error) {
    failed++;
    const failure = `FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    console.log(failure);
    reports.push(`## ${scenario.title}\n\n${failure}`);
    writeReports();
  }
  console.log(`\n(${scenario.name}: ${((Date.now() - scenarioStarted) / 1000).toFixed(0)} s)\n`);
}
console.log(
  `Total: ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed} scenario(s) failed.`,
);
writeReports();
console.log(`Tables written to ${options.markdown}.`);
process.exit(failed > 0 ? 1 : 0);
