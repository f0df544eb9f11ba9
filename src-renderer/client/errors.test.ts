import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { connectionErrorMessage, formatWait, sessionEndWording, type SessionEnd } from './errors';

describe('how a session ended, in words', () => {
  const cases: [string, SessionEnd, RegExp][] = [
    [
      'kicked',
      { kind: 'errmessage', text: 'You have been kicked from the room' },
      /^The room’s owner removed you from the room\./,
    ],
    [
      'banned',
      { kind: 'errmessage', text: 'You have been banned from the room' },
      /^The room’s owner banned you\./,
    ],
    [
      'closed by its owner',
      { kind: 'errmessage', text: 'The room has been closed' },
      /^The room’s owner closed the room\./,
    ],
    [
      'closed for idleness',
      {
        kind: 'errmessage',
        text: 'The room has been closed because nobody used it for a long time',
      },
      /^The room was closed for idleness/,
    ],
    [
      'signed in elsewhere',
      { kind: 'errmessage', text: 'Your name was signed in elsewhere' },
      /^Your name was signed in to this room elsewhere/,
    ],
    [
      'server restarted',
      { kind: 'server-restarted' },
      /^The server restarted; the room no longer exists\./,
    ],
    [
      'gone, same server',
      { kind: 'session-ended', sameServer: true },
      /^The server no longer knows your session: the room was closed or you were removed\.$/,
    ],
    ['gone, restart possible', { kind: 'session-ended' }, /or the server was restarted/],
    ['an unknown notice', { kind: 'errmessage', text: 'Something new' }, /^Something new$/],
  ];

  it.each(cases)('%s', (_name, end, text) => {
    expect(sessionEndWording(end, 'plans').text).toMatch(text);
  });

  it('gives every way its own words', () => {
    const texts = cases.map(([, end]) => sessionEndWording(end, 'plans').text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('names the room in the title; a restart says the room is gone', () => {
    expect(
      sessionEndWording({ kind: 'errmessage', text: 'You have been kicked from the room' }, 'plans')
        .title,
    ).toBe('You are no longer in plans');
    expect(sessionEndWording({ kind: 'server-restarted' }, 'plans').title).toBe(
      'plans no longer exists',
    );
  });
});

describe('waits the server asked for', () => {
  it('says how long a lockout lasts, from Retry-After', () => {
    const locked = new ApiError('locked-out', 'joinRoom', 'x', 429, 95);
    expect(connectionErrorMessage(locked, 'https://h')).toMatch(
      /locked them out .*; it asks to wait 1 min 35 s\.$/,
    );
    const unknown = new ApiError('locked-out', 'joinRoom', 'x', 429);
    expect(connectionErrorMessage(unknown, 'https://h')).toMatch(/try again in a minute\.$/);
  });

  it('says when a busy or full server can be tried again', () => {
    expect(
      connectionErrorMessage(new ApiError('server-busy', 'joinRoom', 'x', 503, 2), 'h'),
    ).toMatch(/^The server is busy .*; it asks to wait 2 s\.$/);
    expect(
      connectionErrorMessage(new ApiError('server-busy', 'sendMsg', 'x', 503, 60), 'h'),
    ).toMatch(/^The server is holding as many messages as it can; it asks to wait 1 min\.$/);
    expect(
      connectionErrorMessage(new ApiError('locked-out', 'createRoom', 'x', 429, 600), 'h'),
    ).toMatch(/created too many rooms .*; it asks to wait 10 min\.$/);
  });

  it('formats waits for a countdown', () => {
    expect([0, 1, 59, 60, 61, 3_599, 3_600, 3_720].map(formatWait)).toEqual([
      '0 s',
      '1 s',
      '59 s',
      '1 min',
      '1 min 1 s',
      '59 min 59 s',
      '1 h',
      '1 h 2 min',
    ]);
  });
});
