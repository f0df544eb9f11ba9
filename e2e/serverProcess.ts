import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A room server in its own process, so the test can freeze it (SIGSTOP) and restart it. The same
 * port and page path on restart: the open page keeps talking to "the same" server.
 */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly webUrl: string,
  ) {}

  /** `pathPrefix`: the page's secret path (a desktop host picks a new one at every start). */
  static start(port = 0, pathPrefix = '/e2e-sessions'): Promise<ServerProcess> {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src-main/server/cli.ts',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--web',
        'dist/renderer',
        '--path-prefix',
        pathPrefix,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /LocalChat server on (\S+) .*web client (\S+)/.exec(out);
        if (found) resolve(new ServerProcess(child, found[1]!, found[2]!));
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
    });
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  freeze() {
    this.child.kill('SIGSTOP');
  }

  thaw() {
    this.child.kill('SIGCONT');
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGCONT');
      this.child.kill('SIGTERM');
    });
  }
}
