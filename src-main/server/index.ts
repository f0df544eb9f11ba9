import { isIPv6 } from 'node:net';
import { LongPollRegistry } from './rooms/long-poll';
import {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
  type LoginThrottleOptions,
} from './rooms/login-throttle';
import {
  CreateThrottle,
  DEFAULT_CREATE_THROTTLE,
  type CreateThrottleOptions,
} from './rooms/create-throttle';
import { newSystemKey } from './rooms/credentials';
import {
  DEFAULT_SEND_THROTTLE,
  SendThrottle,
  type SendThrottleOptions,
} from './rooms/send-throttle';
import {
  DEFAULT_HASHING_LIMITS,
  HashingQueue,
  type HashingCounts,
  type HashingLimits,
} from './rooms/hashing-queue';
import { RoomClock } from './rooms/room-clock';
import { RoomBurns } from './rooms/room-burn';
import { RoomPurge } from './rooms/room-purge';
import { RoomService } from './rooms/room-service';
import { preloadSystemCipher } from './rooms/system-cipher';
import { newServerInstance } from './rooms/server-identity';
import { PurgeScheduler } from './scheduler/purge-scheduler';
import { RoomStore } from './store/room-store';
import { createApp } from './transport/app';
import { fingerprintOf, generateCertificate, namesForHost } from './transport/certificate';
import { closeHttps, listenHttps, type HttpTimeouts } from './transport/https-server';
import { normalisePathPrefix } from './transport/path-prefix';
import { DEFAULT_PORT, LIMITS } from '../../src-shared/protocol';

export interface ServerOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default DEFAULT_PORT (8090); 0 picks an ephemeral port. */
  port?: number;
  /** PEM key and certificate; a self-signed one for the host's names and addresses when absent. */
  tls?: { key: string; cert: string };
  /** Keeps the database in this file (and SYSTEM warns every joiner); shorter default intervals. */
  testingMode?: { dbFile: string };
  /** Scheduler tick. Default 5 s, so a 30 s room lifetime holds within a sixth (30 s in testing mode). */
  purgeIntervalMs?: number;
  /** Default 10 min (3 min in testing mode). */
  messageMaxAgeMs?: number;
  /** How long a kick/ban/close notice waits for its poll. Default 5 min. */
  noticeMaxAgeMs?: number;
  /** Rooms without activity (joins, messages, invites, kicks, leaves) this long are closed. Default 6 h. */
  idleRoomMs?: number;
  /** Rooms nobody has joined this long after their creation are closed. Default 5 min. */
  unjoinedRoomMs?: number;
  /** Serve the built browser client on GET under pathPrefix (e.g. '/s3cr3t'). Off by default. */
  web?: { dir: string; pathPrefix?: string };
  /** Default console.log. Never given message contents, passwords, session keys or payloads. */
  log?: (line: string) => void;
  /** Password-guessing limits on joinRoom; see docs/security.md "Limits". */
  loginThrottle?: Partial<LoginThrottleOptions>;
  /** createRoom limit per source address; see docs/security.md "Limits". */
  createThrottle?: Partial<CreateThrottleOptions>;
  /** Messages per member (sendMsg, sendDirectMsg); see docs/security.md "Limits". */
  sendThrottle?: Partial<SendThrottleOptions>;
  /** Bounds of the password-hashing queue; see docs/security.md "Limits". */
  hashing?: Partial<HashingLimits>;
  /** Lower the LIMITS (e.g. in tests); never raises them above the shared protocol's values. */
  limits?: Partial<Record<LowerableLimit, number>>;
  /** Shorter HTTP timeouts (e.g. in tests); see docs/security.md "Limits" for the defaults. */
  timeouts?: Partial<HttpTimeouts>;
  /** Milliseconds since the epoch; lets tests age rooms and messages without waiting. */
  clock?: () => number;
  /** How long a burn waits for members' confirmations. Default BURN_WAIT_MS (5 s). */
  burnWaitMs?: number;
}

export interface RunningServer {
  /** Origin, e.g. https://127.0.0.1:43123. */
  url: string;
  /** origin + pathPrefix + '/' when the web client is served. */
  webUrl?: string;
  host: string;
  port: number;
  /** SHA-256 of the certificate, 'AB:CD:..' uppercase. */
  fingerprint: string;
  certificatePem: string;
  /** Diagnostics: pollMsg requests currently held open by `wait`. */
  heldPolls?: () => number;
  /** Diagnostics: password-hashing jobs admitted and started so far. */
  hashingJobs?: () => HashingCounts;
  /** Stops listening, ends held long-polls, destroys all room data, stops the scheduler. */
  close(): Promise<void>;
}

type LowerableLimit =
  | 'roomsPerServer'
  | 'membersPerRoom'
  | 'messagesPerRoom'
  | 'messageBytesPerRoom'
  | 'messageBytesPerServer'
  | 'pollAnswerBytes';

const DEFAULTS = {
  host: '127.0.0.1',
  port: DEFAULT_PORT,
  purgeIntervalMs: 5_000,
  messageMaxAgeMs: 10 * 60_000,
  noticeMaxAgeMs: 5 * 60_000,
  idleRoomMs: 6 * 3600_000,
  unjoinedRoomMs: 5 * 60_000,
};

const TESTING_MODE_DEFAULTS = { purgeIntervalMs: 30_000, messageMaxAgeMs: 3 * 60_000 };

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULTS.host;
  const log = options.log ?? ((line: string) => console.log(line));
  const intervals = options.testingMode ? { ...DEFAULTS, ...TESTING_MODE_DEFAULTS } : DEFAULTS;
  const tls = options.tls ?? (await selfSignedFor(host));

  const limit = (name: LowerableLimit) =>
    Math.min(options.limits?.[name] ?? LIMITS[name], LIMITS[name]);
  const limits = {
    roomsPerServer: limit('roomsPerServer'),
    membersPerRoom: limit('membersPerRoom'),
    pollAnswerBytes: limit('pollAnswerBytes'),
  };
  const pathPrefix = normalisePathPrefix(options.web?.pathPrefix);
  // Before the store exists, so a page directory that cannot be listed leaves nothing behind;
  // a server without the page never loads its code.
  const pages = options.web
    ? (await import('./transport/pages')).createPages({
        web: { dir: options.web.dir, pathPrefix },
        log,
      })
    : undefined;
  const now = options.clock ?? Date.now;
  const store = new RoomStore({
    file: options.testingMode?.dbFile,
    messagesPerRoom: limit('messagesPerRoom'),
    messageBytesPerRoom: limit('messageBytesPerRoom'),
    messageBytesPerServer: limit('messageBytesPerServer'),
  });
  const waiters = new LongPollRegistry();
  const hashing = new HashingQueue({ ...DEFAULT_HASHING_LIMITS, ...options.hashing });
  const noticeMaxAgeMs = options.noticeMaxAgeMs ?? intervals.noticeMaxAgeMs;
  const policy = {
    messageMaxAgeMs: options.messageMaxAgeMs ?? intervals.messageMaxAgeMs,
    noticeMaxAgeMs,
    idleRoomMs: options.idleRoomMs ?? intervals.idleRoomMs,
    unjoinedRoomMs: options.unjoinedRoomMs ?? intervals.unjoinedRoomMs,
  };
  const purgeIntervalMs = options.purgeIntervalMs ?? intervals.purgeIntervalMs;
  const clock = new RoomClock(store, { ...policy, purgeIntervalMs }, now);
  const service = new RoomService({
    store,
    waiters,
    throttle: new LoginThrottle({ ...DEFAULT_LOGIN_THROTTLE, ...options.loginThrottle }),
    createThrottle: new CreateThrottle({ ...DEFAULT_CREATE_THROTTLE, ...options.createThrottle }),
    sendThrottle: new SendThrottle({ ...DEFAULT_SEND_THROTTLE, ...options.sendThrottle }, now),
    hashing,
    syskey: newSystemKey(),
    instance: newServerInstance(),
    certificate: fingerprintOf(tls.cert),
    testingMode: options.testingMode !== undefined,
    noticeMaxAgeMs,
    limits,
    clock,
    now,
    burns: new RoomBurns(options.burnWaitMs),
  });
  const purge = new RoomPurge(store, service, policy, now, clock);
  const scheduler = new PurgeScheduler(purge, purgeIntervalMs, log);
  const app = createApp({ service, log, pages });

  let listening;
  try {
    listening = await listenHttps(tls, host, options.port ?? DEFAULTS.port, app, {
      timeouts: options.timeouts,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const { server, port } = listening;
  scheduler.start();
  // A second after the server answers, off the path of its first requests.
  setTimeout(preloadSystemCipher, 1_000).unref();

  const url = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    ...(options.web ? { webUrl: `${url}${pathPrefix}/` } : {}),
    host,
    port,
    fingerprint: fingerprintOf(tls.cert),
    certificatePem: tls.cert,
    heldPolls: () => waiters.waiting(),
    hashingJobs: () => hashing.counts(),
    close: () => {
      closing ??= (async () => {
        scheduler.stop();
        const closed = closeHttps(server);
        // Held polls answer 'unchanged' before their connections go.
        waiters.wakeAll();
        await new Promise((resolve) => setImmediate(resolve));
        server.closeAllConnections();
        await closed;
        store.close();
      })();
      return closing;
    },
  };
}

async function selfSignedFor(host: string): Promise<{ key: string; cert: string }> {
  const { hostnames, ips } = namesForHost(host);
  const { key, cert } = await generateCertificate(hostnames, ips);
  return { key, cert };
}
