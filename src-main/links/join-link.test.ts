import { describe, expect, it } from 'vitest';
import { findJoinLink, LinkRouter, MAX_LINK_LENGTH, parseJoinLink } from './join-link';

describe('parseJoinLink', () => {
  it('accepts localchat://join/<code> and canonicalises scheme and host case', () => {
    expect(parseJoinLink('localchat://join/eyJyIjoia2l0Y2hlbiJ9')).toBe(
      'localchat://join/eyJyIjoia2l0Y2hlbiJ9',
    );
    expect(parseJoinLink('LocalChat://JOIN/abc-_.~%20/')).toBe('localchat://join/abc-_.~%20');
    expect(parseJoinLink('  localchat://join/abc\n')).toBe('localchat://join/abc');
  });

  it.each([
    ['another scheme', 'https://join/abc'],
    ['another host', 'localchat://open/abc'],
    ['no code', 'localchat://join/'],
    ['a nested path', 'localchat://join/abc/def'],
    ['a query', 'localchat://join/abc?x=1'],
    ['a fragment', 'localchat://join/abc#x'],
    ['spaces in the code', 'localchat://join/a b'],
    ['a broken escape', 'localchat://join/%E0%A4%A'],
    ['user info', 'localchat://evil@join/abc'],
  ])('rejects %s', (_why, link) => {
    expect(parseJoinLink(link)).toBeNull();
  });

  it('rejects oversized links', () => {
    const prefix = 'localchat://join/';
    expect(parseJoinLink(prefix + 'a'.repeat(MAX_LINK_LENGTH - prefix.length))).not.toBeNull();
    expect(parseJoinLink(prefix + 'a'.repeat(MAX_LINK_LENGTH - prefix.length + 1))).toBeNull();
  });
});

describe('findJoinLink', () => {
  it('finds the link in Windows/Linux launch arguments and ignores other arguments', () => {
    expect(findJoinLink(['/opt/LocalChat/localchat', '--no-sandbox', 'localchat://join/abc'])).toBe(
      'localchat://join/abc',
    );
    expect(findJoinLink(['electron', '.', 'localchat://open/abc', '--flag'])).toBeNull();
    expect(findJoinLink(['electron', '.'])).toBeNull();
  });
});

describe('LinkRouter', () => {
  it('queues links until the renderer asks, then delivers them as they come', () => {
    const delivered: string[] = [];
    const router = new LinkRouter((link) => delivered.push(link));
    expect(router.route('localchat://join/first')).toBe(true);
    expect(router.route('localchat://nope')).toBe(false);
    expect(delivered).toEqual([]);

    expect(router.takePending()).toEqual(['localchat://join/first']);
    expect(router.takePending()).toEqual([]);
    router.route('localchat://join/second');
    expect(delivered).toEqual(['localchat://join/second']);

    router.reset();
    router.route('localchat://join/third');
    expect(delivered).toEqual(['localchat://join/second']);
    expect(router.takePending()).toEqual(['localchat://join/third']);
  });
});
