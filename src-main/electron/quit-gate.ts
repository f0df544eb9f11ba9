/** What quitting waits for, and how. */
export interface QuitDeps {
  stopHosting(): Promise<void>;
  /** Requests still under way (a member leaving a room as the window closes). */
  inFlight(): Promise<unknown>[];
  /** app.quit(): emits before-quit again, which the gate then lets through. */
  quit(): void;
  log(line: string): void;
  /** Waits MS, then resolves (fake timers in tests). */
  delay(ms: number): Promise<void>;
}

/**
 * Stopping a room server waits for its sockets, some still in their TLS handshake, which Node
 * lets run for up to 15 s; nobody waits that long for a window to close.
 */
export const QUIT_BOUND_MS = 2_000;

/**
 * Quitting while hosting: the room server stops, and requests under way finish, within one
 * bound; then the app quits whatever is left (the process exit ends it). Repeated quits (a second
 * Ctrl+C, the menu, a signal) join the stop under way instead of starting another.
 */
export class QuitGate {
  private state: 'running' | 'stopping' | 'done' = 'running';

  constructor(private readonly deps: QuitDeps) {}

  /** app's 'before-quit'. */
  beforeQuit(event: { preventDefault(): void }): void {
    if (this.state === 'done') return;
    event.preventDefault();
    if (this.state === 'stopping') return;
    this.state = 'stopping';
    const stopped = this.deps.stopHosting().catch((error: unknown) => {
      this.deps.log(`Stopping the room server failed: ${String(error)}`);
    });
    const settled = Promise.allSettled([stopped, ...this.deps.inFlight()]).then(() => true);
    const bound = this.deps.delay(QUIT_BOUND_MS).then(() => false);
    void Promise.race([settled, bound]).then((inTime) => {
      if (!inTime)
        this.deps.log(`Quitting: the room server did not stop within ${QUIT_BOUND_MS} ms.`);
      this.state = 'done';
      this.deps.quit();
    });
  }
}

/** Requests under way, for the quit to wait on. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(request: Promise<T>): Promise<T> {
    this.pending.add(request);
    const done = () => this.pending.delete(request);
    request.then(done, done);
    return request;
  }

  all(): Promise<unknown>[] {
    return [...this.pending];
  }
}
