import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, resolveAppFile } from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import { isNavigationAllowed } from './navigation';
import { isPermissionAllowed } from './permissions';
import { isRendererRequestAllowed } from './requests';
import { hardenedWebPreferences } from './web-preferences';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('Content-Security-Policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);

  it('defaults to nothing and lets only the app itself run scripts', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows no inline code, eval or remote hosts anywhere', () => {
    for (const [name, values] of csp) {
      for (const value of values) {
        expect(value, name).not.toMatch(/unsafe-inline|unsafe-eval|^https?:|^\*$|^http|^ws/);
      }
    }
  });
});

describe('permission policy', () => {
  it('grants notifications to the app page only, and nothing else to anyone', () => {
    expect(isPermissionAllowed('notifications', `${APP_ORIGIN}/index.html`, APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('notifications', 'https://evil.example/', APP_ORIGIN)).toBe(false);
    // Copy buttons write text; nothing may read the clipboard, and no other origin may write.
    expect(
      isPermissionAllowed('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`, APP_ORIGIN),
    ).toBe(true);
    expect(
      isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', APP_ORIGIN),
    ).toBe(false);
    for (const permission of [
      'media',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
    ]) {
      expect(
        isPermissionAllowed(permission, `${APP_ORIGIN}/index.html`, APP_ORIGIN),
        permission,
      ).toBe(false);
    }
  });
});

describe('navigation policy', () => {
  it('keeps the window on the app origin', () => {
    expect(isNavigationAllowed(`${APP_ORIGIN}/index.html`, APP_ORIGIN)).toBe(true);
    expect(isNavigationAllowed('https://192.168.1.5:8090/', APP_ORIGIN)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', APP_ORIGIN)).toBe(false);
    expect(isNavigationAllowed('app://other/index.html', APP_ORIGIN)).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)', APP_ORIGIN)).toBe(false);
    expect(isNavigationAllowed('not a url', APP_ORIGIN)).toBe(false);
  });
});

describe('resolveAppFile', () => {
  const root = path.resolve('/opt/app/dist/renderer');

  it('serves files of the renderer directory with their content type', () => {
    expect(resolveAppFile('app://localchat/index.html', root)).toEqual({
      file: path.join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppFile('app://localchat/', root)?.file).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://localchat/assets/index-abc.js?v=1', root)).toEqual({
      file: path.join(root, 'assets', 'index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('refuses other hosts and anything escaping the directory', () => {
    expect(resolveAppFile('app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('file:///etc/passwd', root)).toBeNull();
    // The URL parser already drops encoded dot segments: the file stays inside the root.
    expect(resolveAppFile('app://localchat/%2e%2e/%2e%2e/secret', root)?.file).toBe(
      path.join(root, 'secret'),
    );
    expect(resolveAppFile('app://localchat/..%2f..%2fsecret', root)).toBeNull();
    expect(resolveAppFile('app://localchat/a%5c..%5c..%5csecret', root)).toBeNull();
    expect(resolveAppFile('app://localchat/%00', root)).toBeNull();
    expect(resolveAppFile('app://localchat/%E0%A4%A', root)).toBeNull();
  });
});

describe('renderer request policy', () => {
  it('loads only app files, data and blob URLs, never the network or the disk', () => {
    expect(isRendererRequestAllowed('app://localchat/assets/index.js')).toBe(true);
    expect(isRendererRequestAllowed('data:image/png;base64,AAAA')).toBe(true);
    expect(isRendererRequestAllowed('blob:app://localchat/0d4c')).toBe(true);
    for (const url of [
      'https://192.168.1.5:8090/',
      'http://example.com/x.js',
      'ws://h/',
      'file:///etc/passwd',
      'nonsense',
    ]) {
      expect(isRendererRequestAllowed(url), url).toBe(false);
    }
  });
});

describe('hardenedWebPreferences', () => {
  it('isolates and sandboxes the page, without Node.js', () => {
    expect(hardenedWebPreferences('/app/preload.cjs', { isPackaged: true })).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('offers developer tools only when running from source', () => {
    expect(hardenedWebPreferences('/p', { isPackaged: false }).devTools).toBe(true);
    expect(hardenedWebPreferences('/p', { isPackaged: true }).devTools).toBe(false);
  });
});
