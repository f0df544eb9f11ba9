import { randomBytes } from 'node:crypto';
import type { HostingStatus } from '../../../src-shared/ipc/contract';
import type { RendererDriver } from './renderer-driver';
import { SecondMember, SelfTestError, type PinnedRequest } from './second-member';

/** `LocalChat Desktop --self-test`: checks an installed app end to end, then exits. */
export const SELF_TEST_FLAG = '--self-test';

export function wantsSelfTest(argv: readonly string[]): boolean {
  return argv.includes(SELF_TEST_FLAG);
}

/** What the self-test drives; main passes the real ones, tests pass stand-ins. */
export interface SelfTestDrivers {
  /** Starts the app's room server on loopback. */
  startHosting(): Promise<HostingStatus>;
  stopHosting(): Promise<void>;
  /** Which SQLite the room store runs on, and why (the hosting step names it). */
  storeEngine(): string;
  /** Opens the app's window and resolves once its page has loaded. */
  openWindow(): Promise<RendererDriver>;
  /** Main's pinned transport, for the second member. */
  request: PinnedRequest;
}

export interface SelfTestOptions {
  /** Each step fails after this long; a self-test must end, whatever hangs. */
  stepTimeoutMs?: number;
}

export type SelfTestResult =
  { ok: true; checks: number } | { ok: false; step: number; name: string; error: string };

interface Context {
  hosting?: HostingStatus;
  window?: RendererDriver;
  member?: SecondMember;
  inviteCode?: string;
  deadline: number;
}

interface Step {
  name: string;
  /** Returns a detail for the report line. */
  run(ctx: Context, drivers: SelfTestDrivers): Promise<string | void>;
}

const OWNER = 'selftest-owner';
const MEMBER = 'selftest-member';

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new SelfTestError(`${what} is missing (an earlier step failed)`);
  return value;
};

const STEPS: readonly Step[] = [
  {
    name: 'host a room server on loopback',
    async run(ctx, drivers) {
      const status = await drivers.startHosting();
      ctx.hosting = status;
      if (status.address !== '127.0.0.1' || !status.url.startsWith('https://127.0.0.1:')) {
        throw new SelfTestError(`hosting is not on loopback: ${status.url}`);
      }
      return `${status.url}, store on ${drivers.storeEngine()}`;
    },
  },
  {
    name: 'open the window',
    async run(ctx, drivers) {
      ctx.window = await drivers.openWindow();
      await ctx.window.waitForStartScreen();
    },
  },
  {
    name: 'the page runs isolated, with no Node.js and only the LocalChat bridge',
    async run(ctx) {
      const env = await need(ctx.window, 'the window').environment();
      if (env.require !== 'undefined' || env.process !== 'undefined') {
        throw new SelfTestError(
          `the page can reach Node.js (require: ${env.require}, process: ${env.process})`,
        );
      }
      if (JSON.stringify(env.bridge) !== JSON.stringify(['invoke', 'on', 'request'])) {
        throw new SelfTestError(`unexpected bridge: ${JSON.stringify(env.bridge)}`);
      }
      return env.url;
    },
  },
  {
    name: 'main refuses malformed and unknown calls from the page',
    async run(ctx) {
      const refused = await need(ctx.window, 'the window').refusals();
      const expected: [keyof typeof refused, RegExp][] = [
        ['malformedArguments', /invalid arguments/],
        ['fileRequest', /invalid arguments/],
        ['unknownChannel', /Unknown channel/],
      ];
      for (const [probe, pattern] of expected) {
        if (!pattern.test(refused[probe])) {
          throw new SelfTestError(`${probe}: expected a refusal, got "${refused[probe]}"`);
        }
      }
    },
  },
  {
    name: 'create a room in the window',
    async run(ctx) {
      const room = `selftest-${randomBytes(4).toString('hex')}`;
      await need(ctx.window, 'the window').createRoom({
        server: need(ctx.hosting, 'the room server').url,
        room,
        user: OWNER,
      });
      return room;
    },
  },
  {
    name: 'invite a second member from the window',
    async run(ctx) {
      ctx.inviteCode = await need(ctx.window, 'the window').invite(MEMBER);
    },
  },
  {
    name: "join as the second member through main's pinned transport",
    async run(ctx, drivers) {
      const hosting = need(ctx.hosting, 'the room server');
      ctx.member = await SecondMember.join(need(ctx.inviteCode, 'the invite'), drivers.request);
      if (ctx.member.user !== MEMBER) {
        throw new SelfTestError(`the invite is for ${ctx.member.user}, not ${MEMBER}`);
      }
      await need(ctx.window, 'the window').waitForMessage(`User ${MEMBER} joined the room`);
      return `pinned to ${hosting.fingerprint.slice(0, 11)}…, another certificate refused`;
    },
  },
  {
    name: "the window shows the second member's message",
    async run(ctx) {
      const text = `hello from the second member ${randomBytes(4).toString('hex')}`;
      await need(ctx.member, 'the second member').say(text);
      await need(ctx.window, 'the window').waitForMessage(text);
    },
  },
  {
    name: "the second member receives the window's message",
    async run(ctx) {
      const text = `hello from the window ${randomBytes(4).toString('hex')}`;
      await need(ctx.window, 'the window').send(text);
      const from = await need(ctx.member, 'the second member').waitForMessage(text, ctx.deadline);
      if (from !== OWNER) throw new SelfTestError(`the message came from ${from}, not ${OWNER}`);
    },
  },
  {
    name: 'close the room from the window',
    async run(ctx) {
      await need(ctx.window, 'the window').closeRoom();
      return `the second member was told: ${await need(ctx.member, 'the second member').expectRoomClosed()}`;
    },
  },
  {
    name: 'stop hosting',
    async run(ctx, drivers) {
      await drivers.stopHosting();
      ctx.hosting = undefined;
    },
  },
];

export const SELF_TEST_STEPS: readonly string[] = STEPS.map((s) => s.name);

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SelfTestError(`no result after ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every step in order and prints one line per check (TAP-like: `ok N - ...`,
 * `not ok N - ...: why`); stops at the first failure. The room server is stopped whatever
 * happens, so a failed run leaves nothing listening.
 */
export async function runSelfTest(
  drivers: SelfTestDrivers,
  print: (line: string) => void,
  options: SelfTestOptions = {},
): Promise<SelfTestResult> {
  const stepTimeoutMs = options.stepTimeoutMs ?? 60_000;
  const ctx: Context = { deadline: 0 };
  print(`LocalChat self-test: ${STEPS.length} checks, on this computer only`);
  let failure: Extract<SelfTestResult, { ok: false }> | undefined;
  for (const [index, step] of STEPS.entries()) {
    const number = index + 1;
    ctx.deadline = Date.now() + stepTimeoutMs;
    try {
      const detail = await withTimeout(step.run(ctx, drivers), stepTimeoutMs);
      print(`ok ${number} - ${step.name}${detail ? ` (${detail})` : ''}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      print(`not ok ${number} - ${step.name}: ${message}`);
      failure = { ok: false, step: number, name: step.name, error: message };
      break;
    }
  }
  if (failure) {
    if (ctx.hosting) await drivers.stopHosting().catch(() => undefined);
    print(`self-test FAILED at step ${failure.step} (${failure.name})`);
    return failure;
  }
  print(`self-test passed: all ${STEPS.length} checks`);
  return { ok: true, checks: STEPS.length };
}
