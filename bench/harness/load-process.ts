import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  LoadJobName,
  LoadJobParams,
  LoadJobResult,
  LoadReply,
  LoadRequest,
} from '../load/jobs';
import { forkTs, nextMessage } from './child-process';

const isReply = (message: unknown): message is LoadReply =>
  typeof message === 'object' &&
  message !== null &&
  ['result', 'failed'].includes((message as { type?: string }).type ?? '');

/** The load generator, in a process of its own. */
export class LoadProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadProcess {
    return new LoadProcess(forkTs(fileURLToPath(new URL('../load/child.ts', import.meta.url)), []));
  }

  async run<J extends LoadJobName>(job: J, params: LoadJobParams<J>): Promise<LoadJobResult<J>> {
    const reply = nextMessage(this.child, isReply);
    this.child.send({ type: 'run', job, params } satisfies LoadRequest);
    const answer = await reply;
    if (answer.type === 'failed') throw new Error(`load job ${job} failed: ${answer.message}`);
    return answer.result as LoadJobResult<J>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}
