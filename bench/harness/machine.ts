import os from 'node:os';

/** One line naming the hardware and runtime, so figures can be compared across machines. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${model}, ${cpus.length} cores, ${memGiB} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

/** Load average over the last minute: other work on the machine skews every figure. */
export function describeLoad(): string {
  const [oneMinute = 0] = os.loadavg();
  const cores = os.cpus().length;
  // The bench itself keeps about `cores` processes runnable; well beyond that, something else competes.
  const busy = oneMinute > cores * 1.5;
  const warning = busy ? ' (busy: other processes compete with the bench for CPU)' : '';
  return `load average ${oneMinute.toFixed(2)} on ${cores} cores${warning}`;
}
