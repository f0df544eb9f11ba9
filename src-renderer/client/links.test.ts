import { describe, expect, it } from 'vitest';
import { isSafeLink, splitLinks } from './links';

describe('splitLinks', () => {
  it('finds http and https links inside text, without the sentence punctuation after them', () => {
    expect(splitLinks('see https://example.org/a?b=1#c. and http://x.test:8080/p, ok')).toEqual([
      { text: 'see ' },
      { url: 'https://example.org/a?b=1#c' },
      { text: '. and ' },
      { url: 'http://x.test:8080/p' },
      { text: ', ok' },
    ]);
  });

  it('keeps a parenthesis that belongs to the link', () => {
    expect(splitLinks('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { text: '(' },
      { url: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
      { text: ')' },
    ]);
  });

  it('leaves every other scheme and look-alike as text', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'localchat://join/abc',
      'ftp://example.org',
      'www.example.org',
      'xhttps://example.org',
      'https://',
    ]) {
      expect(splitLinks(text)).toEqual([{ text }]);
    }
  });

  it('does not end a link inside quotes or angle brackets', () => {
    expect(splitLinks('"https://a.test/x"<b>')).toEqual([
      { text: '"' },
      { url: 'https://a.test/x' },
      { text: '"<b>' },
    ]);
  });
});

describe('isSafeLink', () => {
  it('accepts http and https with a host only', () => {
    expect(isSafeLink('https://a.test/')).toBe(true);
    expect(isSafeLink('http://127.0.0.1:1/')).toBe(true);
    expect(isSafeLink('javascript:alert(1)')).toBe(false);
    expect(isSafeLink('https://')).toBe(false);
    expect(isSafeLink('file://host/x')).toBe(false);
  });
});
