export interface PurgeTask {
  run(): void;
}

/**
 * Runs the purge every `intervalMs`. A failing run is logged and the next one still happens; the
 * timer never keeps the process alive on its own.
 */
export class PurgeScheduler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly task: PurgeTask,
    private readonly intervalMs: number,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  runOnce(): void {
    try {
      this.task.run();
    } catch (error) {
      this.log(`purge failed: ${error instanceof Error ? error.name : typeof error}`);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
