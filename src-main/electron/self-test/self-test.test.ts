import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostingStatus, ServerReply, ServerRequest } from '../../../src-shared/ipc/contract';
import { decryptText, encryptText } from '../../../src-shared/crypto/message';
import { sealRoomKey } from '../../../src-shared/crypto/keyHandover';
import { encodeMemberKey } from '../../../src-shared/crypto/memberKey';
import { encodeInvite } from '../../../src-shared/invite';
import { request as pinnedRequest } from '../../net/pinned-request';
import { startServer, type RunningServer } from '../../server/index';
import type { PageEnvironment, RendererDriver } from './renderer-driver';
import { runSelfTest, SELF_TEST_STEPS, wantsSelfTest, type SelfTestDrivers } from './self-test';

// The self-test's logic against the real room server and main's real pinned transport; only the
// window is a stand-in (a Node client speaking the protocol). The page driver itself runs
// against the real page in e2e/self-test.spec.ts, and the whole thing in Electron in
// e2e/electron.spec.ts.

const ISOLATED: PageEnvironment = {
  bridge: ['invoke', 'on', 'request'],
  require: 'undefined',
  process: 'undefined',
  url: 'app://localchat/index.html',
};

type Key = Parameters<typeof crypto.subtle.exportKey>[1];

/** A window stand-in: owns a room through the same wire calls the renderer makes. */
class StandInWindow implements RendererDriver {
  private server = '';
  private fingerprint = '';
  private room = '';
  private user = '';
  private sesskey = '';
  private syskey = '';
  private last = 0;
  private readonly roomPass = 'ROOMPASS12345678';
  private readonly seen: string[] = [];

  constructor(private readonly send_: (req: ServerRequest) => Promise<ServerReply>) {}

  environment = async () => ISOLATED;
  refusals = async () => ({
    malformedArguments: 'hosting:start: invalid arguments (address: not an IP address)',
    fileRequest: 'server:request: invalid arguments (url: must be https)',
    unknownChannel: 'Unknown channel fs:read',
  });
  waitForStartScreen = async () => {};

  async createRoom(input: { server: string; room: string; user: string }) {
    Object.assign(this, { server: input.server, room: input.room, user: input.user });
    const pass = 'OWNERPASS1234567';
    await this.call('createRoom', { roomName: this.room, owner: this.user, pass });
    const joined = await this.call('joinRoom', {
      roomName: this.room,
      user: this.user,
      userpass: pass,
    });
    this.sesskey = String(joined.session);
    this.syskey = String(joined.syskey);
  }

  /** As the window does: a key-less invite naming this member's key, then the handover. */
  async invite(user: string) {
    const userPass = 'MEMBERPASS123456';
    await this.call('inviteUser', { ...this.session(), invite: user, pass: userPass });
    const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as {
      publicKey: Key;
      privateKey: Key;
    };
    const ownKey = encodeMemberKey(
      new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)),
    );
    await this.call('publishKey', { ...this.session(), key: ownKey, client: 'app' });
    void this.handOver(user, ownKey, pair.privateKey);
    return encodeInvite({
      server: this.server,
      fingerprint: this.fingerprint,
      room: this.room,
      from: this.user,
      fromKey: ownKey,
      user,
      userPass,
    });
  }

  private async handOver(user: string, ownKey: string, privateKey: Key) {
    for (let tries = 0; tries < 100; tries++) {
      const listed = (await this.call('listMembers', this.session()).catch(() => ({}))) as {
        members?: { user: string; key?: string }[];
      };
      const key = listed.members?.find((m) => m.user === user)?.key;
      if (key) {
        const parties = { room: this.room, senderKey: ownKey, recipientKey: key };
        const box = await sealRoomKey(this.roomPass, privateKey, parties);
        await this.call('handKey', { ...this.session(), to: user, box });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async waitForMessage(text: string) {
    await vi.waitFor(
      async () => {
        await this.poll();
        expect(this.seen).toContain(text);
      },
      { timeout: 10_000, interval: 100 },
    );
  }

  async send(text: string) {
    const msg = await encryptText(
      JSON.stringify({ user: this.user, text, verb: 'say' }),
      this.roomPass,
    );
    await this.call('sendMsg', { ...this.session(), msg });
  }

  async closeRoom() {
    await this.call('closeRoom', this.session());
  }

  private async poll() {
    const body = await this.call('pollMsg', { ...this.session(), mylast: this.last });
    for (const [id, msg, , from] of (body.messages ?? []) as [number, string, number, string][]) {
      this.last = Math.max(this.last, id);
      const key = from === 'SYSTEM' ? this.syskey : this.roomPass;
      const { text } = JSON.parse(await decryptText(msg, key)) as { text: string };
      // As the page shows a notice: its quoted names as names, without the quotes.
      this.seen.push(text.replace(/"([^"]*)"/g, '$1'));
    }
  }

  private session() {
    return { roomName: this.room, user: this.user, sesskey: this.sesskey };
  }

  private async call(action: string, payload: unknown): Promise<Record<string, unknown>> {
    const reply = await this.send_({ url: this.server, action, payload });
    if (reply.kind !== 'response' || reply.status !== 200) {
      throw new Error(`${action}: ${JSON.stringify(reply)}`);
    }
    this.fingerprint = reply.fingerprint;
    return reply.body as Record<string, unknown>;
  }
}

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function drivers(overrides: Partial<SelfTestDrivers> = {}, window?: RendererDriver) {
  const stopHosting = vi.fn(async () => {
    await server?.close();
    server = undefined;
  });
  const base: SelfTestDrivers = {
    async startHosting(): Promise<HostingStatus> {
      server = await startServer({ host: '127.0.0.1', port: 0, log: () => {} });
      return {
        url: server.url,
        address: '127.0.0.1',
        port: server.port,
        fingerprint: server.fingerprint,
        certificateKept: false,
      };
    },
    stopHosting,
    storeEngine: () => 'node:sqlite (stand-in)',
    openWindow: async () => window ?? new StandInWindow(pinnedRequest),
    request: pinnedRequest,
  };
  return { drivers: { ...base, ...overrides }, stopHosting };
}

async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('runSelfTest', () => {
  it('passes every check against the real room server, printing each, and stops hosting', async () => {
    const lines: string[] = [];
    const { drivers: d, stopHosting } = drivers();
    let port = 0;
    const started = d.startHosting;
    d.startHosting = async () => {
      const status = await started();
      port = status.port;
      return status;
    };
    const result = await runSelfTest(d, (line) => lines.push(line));
    expect(result).toEqual({ ok: true, checks: SELF_TEST_STEPS.length });
    expect(lines.filter((l) => l.startsWith('ok '))).toHaveLength(SELF_TEST_STEPS.length);
    SELF_TEST_STEPS.forEach((name, i) => expect(lines[i + 1]).toMatch(`ok ${i + 1} - ${name}`));
    expect(lines[1]).toMatch(
      /^ok 1 - .*\(https:\/\/127\.0\.0\.1:\d+, store on node:sqlite \(stand-in\)\)$/,
    );
    expect(lines.join('\n')).toMatch(/another certificate refused/);
    expect(lines.join('\n')).toMatch(/told: The room has been closed/);
    expect(lines.at(-1)).toBe(`self-test passed: all ${SELF_TEST_STEPS.length} checks`);
    expect(stopHosting).toHaveBeenCalledTimes(1);
    expect(await isListening(port)).toBe(false);
  });

  it('fails at the step that failed, says why, skips the rest and still stops hosting', async () => {
    const window = new StandInWindow(pinnedRequest);
    window.invite = async () => {
      throw new Error('the invite panel never opened');
    };
    const { drivers: d, stopHosting } = drivers({}, window);
    const lines: string[] = [];
    const result = await runSelfTest(d, (line) => lines.push(line));
    const step = SELF_TEST_STEPS.indexOf('invite a second member from the window') + 1;
    expect(result).toEqual({
      ok: false,
      step,
      name: 'invite a second member from the window',
      error: 'the invite panel never opened',
    });
    expect(lines).toContain(
      `not ok ${step} - invite a second member from the window: the invite panel never opened`,
    );
    expect(lines.filter((l) => l.startsWith('ok '))).toHaveLength(step - 1);
    expect(lines.at(-1)).toBe(
      `self-test FAILED at step ${step} (invite a second member from the window)`,
    );
    expect(stopHosting).toHaveBeenCalledTimes(1);
  });

  it('fails when the page can reach Node.js', async () => {
    const window = new StandInWindow(pinnedRequest);
    window.environment = async () => ({ ...ISOLATED, require: 'function' });
    const result = await runSelfTest(drivers({}, window).drivers, () => {});
    expect(result).toMatchObject({ ok: false, step: 3, error: /can reach Node\.js/ });
  });

  it('fails when main lets a malformed call from the page through', async () => {
    const window = new StandInWindow(pinnedRequest);
    const refusals = await window.refusals();
    window.refusals = async () => ({ ...refusals, fileRequest: 'accepted' });
    const result = await runSelfTest(drivers({}, window).drivers, () => {});
    expect(result).toMatchObject({
      ok: false,
      name: 'main refuses malformed and unknown calls from the page',
      error: 'fileRequest: expected a refusal, got "accepted"',
    });
  });

  it('fails when the second session does not pin the certificate (a transport trusting anyone)', async () => {
    // The attack: a transport that ignores the invite's fingerprint would talk to any server.
    const trusting = (req: ServerRequest) => pinnedRequest({ ...req, fingerprint: undefined });
    const result = await runSelfTest(drivers({ request: trusting }).drivers, () => {});
    expect(result).toMatchObject({
      ok: false,
      name: "join as the second member through main's pinned transport",
      error: /accepted a certificate other than the invite's/,
    });
  });

  it('fails when hosting is not on loopback, and stops that server', async () => {
    const { drivers: d, stopHosting } = drivers();
    const started = d.startHosting;
    d.startHosting = async () => ({ ...(await started()), address: '192.168.1.5' });
    const result = await runSelfTest(d, () => {});
    expect(result).toMatchObject({ ok: false, step: 1, error: /not on loopback/ });
    expect(stopHosting).toHaveBeenCalledTimes(1);
  });

  it('ends a step that hangs instead of hanging itself', async () => {
    const window = new StandInWindow(pinnedRequest);
    window.waitForStartScreen = () => new Promise(() => {});
    const lines: string[] = [];
    const result = await runSelfTest(drivers({}, window).drivers, (l) => lines.push(l), {
      stepTimeoutMs: 200,
    });
    expect(result).toMatchObject({ ok: false, step: 2, error: 'no result after 0.2 s' });
    expect(lines).toContain('not ok 2 - open the window: no result after 0.2 s');
  });
});

describe('wantsSelfTest', () => {
  it('recognises the flag anywhere in argv, and nothing else', () => {
    expect(wantsSelfTest(['/opt/LocalChat/localchat-desktop', '--self-test'])).toBe(true);
    expect(wantsSelfTest(['electron', '.', '--self-test'])).toBe(true);
    expect(wantsSelfTest(['/opt/LocalChat/localchat-desktop'])).toBe(false);
    expect(wantsSelfTest(['x', 'localchat://join/--self-test'])).toBe(false);
    expect(wantsSelfTest(['x', '--self-testing'])).toBe(false);
  });
});
