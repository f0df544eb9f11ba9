import { fork, type ChildProcess } from 'node:child_process';

const tsxLoader = import.meta.resolve('tsx');

/** Starts a TypeScript module in its own Node process, with an IPC channel. */
export function forkTs(
  modulePath: string,
  args: string[],
  extraExecArgv: string[] = [],
): ChildProcess {
  return fork(modulePath, args, {
    execArgv: ['--import', tsxLoader, ...extraExecArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the child's next IPC message that matches, rejects if the child dies first. */
export function nextMessage<T>(
  child: ChildProcess,
  matches: (message: unknown) => message is T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!matches(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}, signal ${signal}) before answering`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export function hasType<K extends string>(type: K) {
  return <T extends { type: K }>(message: unknown): message is T =>
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === type;
}
