import { runDelivery } from './delivery';
import { runPollers } from './pollers';
import { runTraffic } from './traffic';

/** What the load-generator process can be asked to run. */
export const loadJobs = { pollers: runPollers, delivery: runDelivery, traffic: runTraffic };

export type LoadJobName = keyof typeof loadJobs;
export type LoadJobParams<J extends LoadJobName> = Parameters<(typeof loadJobs)[J]>[0];
export type LoadJobResult<J extends LoadJobName> = Awaited<ReturnType<(typeof loadJobs)[J]>>;

export type LoadRequest = { type: 'run'; job: LoadJobName; params: unknown };
export type LoadReply = { type: 'result'; result: unknown } | { type: 'failed'; message: string };
