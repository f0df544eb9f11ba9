import { describe, expect, it, vi } from 'vitest';
import { takeFragmentInvite } from './fragmentInvite';

describe('takeFragmentInvite', () => {
  it('takes the invite and clears the fragment from the address and history entry', () => {
    const replaceState = vi.fn();
    const href = 'https://192.168.1.5:8090/abc/#join=LC1.e30.12345678';
    expect(takeFragmentInvite({ href, hash: '#join=LC1.e30.12345678' }, { replaceState })).toBe(
      href,
    );
    expect(replaceState).toHaveBeenCalledWith(null, '', 'https://192.168.1.5:8090/abc/');
  });

  it('leaves other addresses alone', () => {
    const replaceState = vi.fn();
    expect(
      takeFragmentInvite({ href: 'https://h/#top', hash: '#top' }, { replaceState }),
    ).toBeUndefined();
    expect(takeFragmentInvite({ href: 'https://h/', hash: '' }, { replaceState })).toBeUndefined();
    expect(replaceState).not.toHaveBeenCalled();
  });
});
