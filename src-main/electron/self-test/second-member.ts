import type { ServerReply, ServerRequest } from '../../../src-shared/ipc/contract';
import { decryptText, encryptText } from '../../../src-shared/crypto/message';
import { decodeInvite, type Invite } from '../../../src-shared/invite';
import { SYSTEM_USER } from '../../../src-shared/protocol';
import { encodeMemberKey } from '../../../src-shared/crypto/memberKey';
import { openRoomKey } from '../../../src-shared/crypto/keyHandover';

/** Main's pinned HTTPS call (src-main/net/pinned-request), or a stand-in in tests. */
export type PinnedRequest = (req: ServerRequest) => Promise<ServerReply>;

export class SelfTestError extends Error {
  override name = 'SelfTestError';
}

const POLL_INTERVAL_MS = 200;
/** A fingerprint no real certificate has: the pin must refuse it before anything is sent. */
const WRONG_FINGERPRINT = '00'.repeat(32);

/** How long the second member waits for the window to hand it the room key. */
const HANDOVER_TIMEOUT_MS = 30_000;

interface Joined {
  invite: Invite & { fingerprint: string; roomPass: string };
  sesskey: string;
  last: number;
}

/**
 * The self-test's second member: joins with the invite the window made, over main's pinned
 * transport, as a friend's app would. Speaks the wire protocol itself and encrypts like the
 * renderer, so a message crossing between it and the window proves both ends agree.
 */
export class SecondMember {
  private constructor(
    private readonly request: PinnedRequest,
    private readonly joined: Joined,
  ) {}

  get user(): string {
    return this.joined.invite.user;
  }

  /**
   * Checks that the pin refuses any other certificate, then joins with the invite's. Throws
   * SelfTestError saying what went wrong.
   */
  static async join(code: string, request: PinnedRequest): Promise<SecondMember> {
    const decoded = decodeInvite(code);
    const { fingerprint } = decoded;
    if (!fingerprint) throw new SelfTestError('the invite carries no certificate fingerprint');
    const invite = { ...decoded, fingerprint };

    const impostor = await request({
      url: invite.server,
      action: 'serverInfo',
      payload: {},
      fingerprint: WRONG_FINGERPRINT,
    });
    if (impostor.kind !== 'certificate-mismatch') {
      throw new SelfTestError(
        `the pinned transport accepted a certificate other than the invite's (${impostor.kind})`,
      );
    }

    const answer = expectOk(
      await request({
        url: invite.server,
        action: 'joinRoom',
        payload: { roomName: invite.room, user: invite.user, userpass: invite.userPass },
        fingerprint,
      }),
      'joinRoom',
    );
    if (typeof answer.session !== 'string' || typeof answer.last !== 'number') {
      throw new SelfTestError(`joinRoom: no session in the answer (${JSON.stringify(answer)})`);
    }
    const sesskey = answer.session;
    const roomPass = invite.roomPass ?? (await receiveRoomKey(request, invite, sesskey));
    return new SecondMember(request, { invite: { ...invite, roomPass }, sesskey, last: 0 });
  }

  async say(text: string): Promise<void> {
    const { invite } = this.joined;
    const msg = await encryptText(
      JSON.stringify({ user: invite.user, text, verb: 'say' }),
      invite.roomPass,
    );
    expectOk(await this.call('sendMsg', { ...this.session(), msg }), 'sendMsg');
  }

  /** Polls until a room member other than us has said `text`; gives up at `deadline` (epoch ms). */
  async waitForMessage(text: string, deadline: number): Promise<string> {
    for (;;) {
      for (const said of await this.pollMessages()) {
        if (said.text === text) return said.user;
      }
      if (Date.now() > deadline) throw new SelfTestError(`"${text}" never arrived`);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  /**
   * After the owner closed the room, the server tells us once (an `errmessage` notice) and then
   * refuses our session: the room and its messages are gone.
   */
  async expectRoomClosed(): Promise<string> {
    let notice = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = await this.call('pollMsg', { ...this.session(), mylast: this.joined.last });
      if (reply.kind !== 'response') throw new SelfTestError(`pollMsg: ${describe(reply)}`);
      if (reply.status !== 200) return notice || `session refused with HTTP ${reply.status}`;
      const body = reply.body as { status?: unknown; text?: unknown } | null;
      if (body?.status !== 'errmessage' || notice) {
        throw new SelfTestError(
          `the server still serves the closed room (${JSON.stringify(reply.body)})`,
        );
      }
      notice = String(body.text);
    }
    return notice;
  }

  private async pollMessages(): Promise<{ user: string; text: string }[]> {
    const body = expectOk(
      await this.call('pollMsg', { ...this.session(), mylast: this.joined.last }),
      'pollMsg',
      ['updated', 'unchanged'],
    );
    if (body.status !== 'updated' || !Array.isArray(body.messages)) return [];
    const said: { user: string; text: string }[] = [];
    for (const row of body.messages as unknown[]) {
      if (!Array.isArray(row)) continue;
      const [id, msg, , from] = row as [unknown, unknown, unknown, unknown];
      if (typeof id === 'number') this.joined.last = Math.max(this.joined.last, id);
      if (from === SYSTEM_USER || from === this.user || typeof msg !== 'string') continue;
      try {
        const plain = JSON.parse(await decryptText(msg, this.joined.invite.roomPass)) as {
          user?: unknown;
          text?: unknown;
        };
        if (typeof plain.text === 'string') said.push({ user: String(from), text: plain.text });
      } catch (error) {
        throw new SelfTestError(
          `a message from ${String(from)} could not be read: ${(error as Error).message}`,
        );
      }
    }
    return said;
  }

  private session() {
    const { invite, sesskey } = this.joined;
    return { roomName: invite.room, user: invite.user, sesskey };
  }

  private call(action: string, payload: unknown): Promise<ServerReply> {
    const { invite } = this.joined;
    return this.request({ url: invite.server, action, payload, fingerprint: invite.fingerprint });
  }
}

function describe(reply: ServerReply): string {
  switch (reply.kind) {
    case 'unreachable':
      return reply.message;
    case 'certificate-mismatch':
      return `the server showed certificate ${reply.actual}, not ${reply.expected}`;
    case 'response':
      return `HTTP ${reply.status}`;
  }
}

function expectOk(
  reply: ServerReply,
  action: string,
  statuses: readonly string[] = ['ok'],
): Record<string, unknown> {
  if (reply.kind !== 'response') throw new SelfTestError(`${action}: ${describe(reply)}`);
  const body = reply.body as Record<string, unknown> | null;
  if (reply.status !== 200 || !body || !statuses.includes(String(body.status))) {
    throw new SelfTestError(
      `${action}: the server answered HTTP ${reply.status} ${JSON.stringify(body)}`,
    );
  }
  return body;
}

/**
 * A key-less invite: publish a member key as a friend's app would, and wait for the inviter (the
 * window) to hand the room passphrase over sealed to it (keyhandover).
 */
async function receiveRoomKey(
  request: PinnedRequest,
  invite: Invite & { fingerprint: string },
  sesskey: string,
): Promise<string> {
  const { from, fromKey } = invite;
  if (!from || !fromKey)
    throw new SelfTestError('the invite holds neither a room key nor its inviter');
  const pair = (await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as {
    publicKey: Parameters<typeof crypto.subtle.exportKey>[1];
    privateKey: Parameters<typeof crypto.subtle.exportKey>[1];
  };
  const key = encodeMemberKey(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
  const session = { roomName: invite.room, user: invite.user, sesskey };
  const call = async (action: string, payload: object) =>
    expectOk(
      await request({ url: invite.server, action, payload, fingerprint: invite.fingerprint }),
      action,
    );
  await call('publishKey', { ...session, key, client: 'app' });
  const parties = { room: invite.room, senderKey: fromKey, recipientKey: key };
  const deadline = Date.now() + HANDOVER_TIMEOUT_MS;
  for (;;) {
    const { keys } = (await call('takeKeys', session)) as {
      keys?: { from: string; box: string }[];
    };
    for (const handed of keys ?? []) {
      if (handed.from !== from) continue;
      const passphrase = await openRoomKey(handed.box, pair.privateKey, parties).catch(() => null);
      if (passphrase !== null) return passphrase;
    }
    if (Date.now() > deadline) throw new SelfTestError(`${from} never handed over the room key`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
