import { describe, expect, it, vi } from 'vitest';
import { openExternalLink } from './external-links';

vi.mock('electron', () => ({ dialog: {}, shell: {} }));

function deps(answer: boolean) {
  return { confirm: vi.fn(async () => answer), open: vi.fn(async () => {}) };
}

describe('openExternalLink', () => {
  it('opens an https link only after the user confirmed the full URL', async () => {
    const yes = deps(true);
    expect(await openExternalLink('https://example.org/a b?c=1', yes)).toBe(true);
    expect(yes.confirm).toHaveBeenCalledWith('https://example.org/a%20b?c=1');
    expect(yes.open).toHaveBeenCalledWith('https://example.org/a%20b?c=1');
    const no = deps(false);
    expect(await openExternalLink('http://example.org/', no)).toBe(false);
    expect(no.open).not.toHaveBeenCalled();
  });

  it('never asks about or opens another scheme', async () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'localchat://join/x',
      'smb://host/share',
      'https://',
      `https://a.test/${'x'.repeat(3000)}`,
    ]) {
      const d = deps(true);
      expect(await openExternalLink(url, d)).toBe(false);
      expect(d.confirm).not.toHaveBeenCalled();
      expect(d.open).not.toHaveBeenCalled();
    }
  });
});
