import type { ServerProcessOptions } from '../harness/server-process';

export interface ScenarioContext {
  /** A short smoke run: tiny sizes, every code path still exercised. */
  quick: boolean;
  /** How to run every server process (profiling, extra Node flags or environment). */
  serverRun: ServerRunOptions;
}

export type ServerRunOptions = Pick<ServerProcessOptions, 'cpuProfileDir' | 'nodeFlags' | 'env'>;

export interface Scenario {
  /** Name used by `--only`. */
  name: string;
  title: string;
  /** It prints its report as it runs (so the runner need not print what it returns). */
  printsReport?: boolean;
  /** Runs the scenario and returns its report (Markdown). */
  run(context: ScenarioContext): Promise<string>;
}

/** "met" or "MISSED" for a target, so a reader can scan a report. */
export function verdict(met: boolean, quick: boolean): string {
  if (quick) return 'not judged in --quick';
  return met ? 'met' : 'MISSED';
}

export function ms(value: number): string {
  return value.toFixed(value < 10 ? 2 : 1);
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part * 100) / whole)}%` : '-';
}

export function megabytes(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(1);
}
