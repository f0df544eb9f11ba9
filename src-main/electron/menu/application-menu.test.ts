import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate, isDevToolsShortcut, type KeyInput } from './application-menu';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ]);
}

const PLATFORMS = ['darwin', 'win32', 'linux'] as const;
const appName = 'LocalChat Desktop';

describe('applicationMenuTemplate', () => {
  it.each(PLATFORMS)('on %s: the usual editing, zoom and quit commands', (platform) => {
    const all = roles(applicationMenuTemplate({ platform, isPackaged: true, appName }));
    for (const role of ['copy', 'paste', 'cut', 'undo', 'redo', 'selectAll', 'quit'])
      expect(all, role).toContain(role);
    for (const role of ['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'minimize'])
      expect(all, role).toContain(role);
  });

  it('gives macOS its app menu (about, hide, quit) first, and others a File > Quit', () => {
    const mac = applicationMenuTemplate({ platform: 'darwin', isPackaged: true, appName });
    expect(mac[0]!.label).toBe(appName);
    expect(roles([mac[0]!])).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles(mac.slice(1))).not.toContain('quit');
    expect(roles(mac)).toContain('pasteAndMatchStyle');
    for (const platform of ['win32', 'linux'] as const) {
      const menu = applicationMenuTemplate({ platform, isPackaged: true, appName });
      expect(menu.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window']);
      expect(roles([menu[0]!])).toEqual(['quit']);
      expect(roles(menu)).not.toContain('about');
    }
  });

  it.each(PLATFORMS)('on %s: no developer tools or reload in a packaged build', (platform) => {
    const packaged = roles(applicationMenuTemplate({ platform, isPackaged: true, appName }));
    for (const role of ['toggleDevTools', 'reload', 'forceReload'])
      expect(packaged).not.toContain(role);
    const fromSource = roles(applicationMenuTemplate({ platform, isPackaged: false, appName }));
    expect(fromSource).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
  });

  it('has no item that opens anything outside the app', () => {
    for (const platform of PLATFORMS) {
      const menu = applicationMenuTemplate({ platform, isPackaged: false, appName });
      const walk = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
        items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? walk(i.submenu) : [])]);
      expect(walk(menu).filter((i) => i.click !== undefined || i.role === 'help')).toEqual([]);
    }
  });
});

describe('isDevToolsShortcut', () => {
  const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    type: 'keyDown',
    key: k,
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  });

  it('catches F12 and Ctrl+Shift+I/J/C on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      expect(isDevToolsShortcut(key('F12'), platform)).toBe(true);
      expect(isDevToolsShortcut(key('I', { control: true, shift: true }), platform)).toBe(true);
      expect(isDevToolsShortcut(key('j', { control: true, shift: true }), platform)).toBe(true);
      expect(isDevToolsShortcut(key('C', { control: true, shift: true }), platform)).toBe(true);
    }
  });

  it('catches Cmd+Alt+I/J/C on macOS', () => {
    expect(isDevToolsShortcut(key('i', { meta: true, alt: true }), 'darwin')).toBe(true);
    expect(isDevToolsShortcut(key('F12'), 'darwin')).toBe(true);
  });

  it('leaves editing shortcuts and typing alone', () => {
    expect(isDevToolsShortcut(key('c', { control: true }), 'linux')).toBe(false);
    expect(isDevToolsShortcut(key('i', { control: true }), 'win32')).toBe(false);
    expect(isDevToolsShortcut(key('c', { meta: true }), 'darwin')).toBe(false);
    expect(isDevToolsShortcut(key('I', { shift: true }), 'linux')).toBe(false);
    expect(isDevToolsShortcut({ ...key('F12'), type: 'keyUp' }, 'linux')).toBe(false);
  });
});
