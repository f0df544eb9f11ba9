import { describe, expect, it } from 'vitest';
import { roomFacts } from './roomFacts';

describe('roomFacts', () => {
  it('names the terminal client first, then browsers', () => {
    expect(roomFacts({ ana: 'app', kim: 'terminal', bob: 'browser', cy: 'browser' })).toEqual([
      {
        kind: 'terminal',
        text: '1 member uses the terminal client: it does not check the server’s certificate, keeps text until it exits, and reads only room-key direct messages',
      },
      {
        kind: 'browser',
        text: '2 members joined from a browser: they trust the page the host serves',
      },
    ]);
    expect(roomFacts({ kim: 'terminal', lee: 'terminal' })[0]!.text).toMatch(
      /^2 members use the terminal client/,
    );
    expect(roomFacts({ bob: 'browser' })[0]!.text).toBe(
      '1 member joined from a browser: they trust the page the host serves',
    );
  });

  it('says plainly when every member uses the desktop app, and nothing for an empty room', () => {
    expect(roomFacts({ ana: 'app', bo: 'app' })).toEqual([
      { kind: 'all-app', text: 'Every member uses the desktop app' },
    ]);
    expect(roomFacts({})).toEqual([]);
  });
});
