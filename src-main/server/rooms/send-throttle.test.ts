import { describe, expect, it } from 'vitest';
import { fakeCiphertext, openRoom, send, session, uniqueRoomName } from '../testing/member-fixture';
import { call, useTestServer } from '../testing/server-fixture';
import { ActionError } from './action-error';
import { DEFAULT_SEND_THROTTLE, SendThrottle } from './send-throttle';

describe('the per-member send throttle', () => {
  it('lets a burst through, then one message per 1/perSecond, with Retry-After in whole seconds', () => {
    let now = 0;
    const throttle = new SendThrottle({ burst: 3, perSecond: 2 }, () => now);
    for (let i = 0; i < 3; i++) throttle.consume(1, 'mallory');
    let refusal: unknown;
    try {
      throttle.consume(1, 'mallory');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ActionError);
    expect(refusal).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    // Another member, and the same name in another room, have buckets of their own.
    throttle.consume(1, 'alice');
    throttle.consume(2, 'mallory');
    now += 500;
    throttle.consume(1, 'mallory');
    expect(() => throttle.consume(1, 'mallory')).toThrow(ActionError);
  });

  it('never meets a person typing a line a second, nor a pasted paragraph of 40 lines', () => {
    let now = 0;
    const throttle = new SendThrottle(DEFAULT_SEND_THROTTLE, () => now);
    for (let i = 0; i < 40; i++) throttle.consume(1, 'paste');
    for (let i = 0; i < 3_600; i++) {
      now += 1_000;
      throttle.consume(1, 'typist');
      throttle.consume(1, 'paste');
    }
  });
});

describe('a flood of messages from one member (issue 21.1)', () => {
  const fixture = useTestServer({ sendThrottle: { burst: 5, perSecond: 1 } });

  it('answers 429 with Retry-After and an empty body past the burst, and keeps other members sending', async () => {
    const url = fixture.server.url;
    const opts = { agent: fixture.agent };
    const { owner, members } = await openRoom(
      url,
      uniqueRoomName('flood'),
      'olive',
      ['mallory'],
      opts,
    );
    const mallory = members[0]!;
    const answers = [];
    for (let i = 0; i < 8; i++) {
      answers.push(
        await call(url, 'sendMsg', { ...session(mallory), msg: fakeCiphertext(`m${i}`) }, opts),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(answers[5]!.body).toBe('');
    expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const dm = await call(
      url,
      'sendDirectMsg',
      { ...session(mallory), to: 'olive', msg: fakeCiphertext('dm') },
      opts,
    );
    expect(dm.status).toBe(429);
    expect(await send(url, owner, 'the owner is not slowed', opts)).toBeGreaterThan(0);
  });
});
