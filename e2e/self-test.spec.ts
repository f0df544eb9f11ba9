import { expect, test, type Browser, type Page } from '@playwright/test';
import { nodeStreamingS2kBackend } from '../src-main/crypto/nodeS2k';
import { validatedHandler, type InvokeHandler } from '../src-main/electron/ipc/validated-handler';
import { APP_ORIGIN } from '../src-main/electron/security/app-protocol';
import { isNavigationAllowed } from '../src-main/electron/security/navigation';
import { createPageDriver } from '../src-main/electron/self-test/renderer-driver';
import {
  runSelfTest,
  SELF_TEST_STEPS,
  type SelfTestDrivers,
} from '../src-main/electron/self-test/self-test';
import { request as pinnedRequest } from '../src-main/net/pinned-request';
import { startServer, type RunningServer } from '../src-main/server/index';
import { describeEngine, storeEngine } from '../src-main/server/store/sqlite-engine';
import {
  INVOKE_CHANNELS,
  type HostingStatus,
  type InvokeChannel,
} from '../src-shared/ipc/contract';

// The desktop self-test with everything real but Electron: the built page in Chromium, the room
// server, main's argument checks and pinned transport (in this process, reached from the page's
// stand-in bridge as main is reached over IPC). The page driver's scripts run here exactly as
// webContents.executeJavaScript runs them in the app.

/**
 * The page as the desktop app shows it: `window.localchat` forwards to this process, where each
 * call passes main's own checks (validatedHandler) before its handler runs, as over IPC.
 */
async function openAppPage(
  browser: Browser,
  server: RunningServer,
  status: HostingStatus,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const handlers: { [K in InvokeChannel]?: InvokeHandler<K> } = {
    'server:request': pinnedRequest,
    'hosting:interfaces': async () => [
      { name: 'lo', address: '127.0.0.1', family: 'IPv4', internal: true },
    ],
    'hosting:status': async () => status,
    'hosting:start': async () => ({
      ok: false,
      error: { code: 'already-hosting', message: 'A room server is already running' },
    }),
    'hosting:certificate': async () => ({ kept: false, encryptionAvailable: false }),
    'links:take-pending': async () => [],
    'crypto:s2k-digests': (req) =>
      nodeStreamingS2kBackend.repeatedDigests(req.hash, req.pattern, req.count, req.contexts),
  };
  const fromApp = { senderFrame: { url: 'app://localchat/index.html' } };
  const trusted = (url: string) => isNavigationAllowed(url, APP_ORIGIN);
  await page.exposeFunction('mainInvoke', async (channel: InvokeChannel, args: unknown[]) => {
    // Byte arrays cross as number arrays here (main gets them as Uint8Array over IPC).
    if (channel === 'crypto:s2k-digests') {
      const req = args[0] as { pattern: number[] };
      args = [{ ...req, pattern: Uint8Array.from(req.pattern) }];
    }
    const handler = handlers[channel] as InvokeHandler<InvokeChannel> | undefined;
    if (!handler) throw new Error(`${channel}: not used by the self-test`);
    const result = await validatedHandler(channel, handler, trusted)(fromApp, ...args);
    return channel === 'crypto:s2k-digests'
      ? (result as Uint8Array[]).map((digest) => Array.from(digest))
      : result;
  });
  await page.addInitScript(`(() => {
    const channels = new Set(${JSON.stringify(INVOKE_CHANNELS)});
    const invoke = async (channel, ...args) => {
      if (!channels.has(channel)) throw new Error('Unknown channel ' + channel);
      if (channel !== 'crypto:s2k-digests') return window.mainInvoke(channel, args);
      const [req] = args;
      const digests = await window.mainInvoke(channel, [{ ...req, pattern: Array.from(req.pattern) }]);
      return digests.map((digest) => Uint8Array.from(digest));
    };
    const bridge = { invoke, on: () => () => {}, request: (req) => invoke('server:request', req) };
    Object.defineProperty(window, 'localchat', { value: bridge });
  })()`);
  await page.goto(server.webUrl!);
  return page;
}

function selfTestDrivers(
  browser: Browser,
  viewport: { width: number; height: number },
): SelfTestDrivers & { page(): Page | undefined } {
  let server: RunningServer | undefined;
  let status: HostingStatus | undefined;
  let page: Page | undefined;
  return {
    page: () => page,
    storeEngine: () => describeEngine(storeEngine()),
    async startHosting() {
      server = await startServer({
        host: '127.0.0.1',
        port: 0,
        web: { dir: 'dist/renderer' },
        log: () => {},
      });
      status = {
        url: server.url,
        address: '127.0.0.1',
        port: server.port,
        fingerprint: server.fingerprint,
        certificateKept: false,
      };
      return status;
    },
    async stopHosting() {
      await server?.close();
      server = undefined;
    },
    async openWindow() {
      page = await openAppPage(browser, server!, status!, viewport);
      return createPageDriver((script) => page!.evaluate(script), 15_000);
    },
    request: pinnedRequest,
  };
}

for (const [label, viewport] of [
  ['desktop', { width: 1200, height: 760 }],
  ['phone-sized', { width: 390, height: 844 }],
] as const) {
  test(`self-test passes against the real page (${label} window)`, async ({ browser }) => {
    const drivers = selfTestDrivers(browser, viewport);
    const lines: string[] = [];
    const result = await runSelfTest(drivers, (line) => lines.push(line));
    expect(result, lines.join('\n')).toEqual({ ok: true, checks: SELF_TEST_STEPS.length });
    expect(lines.filter((l) => l.startsWith('ok '))).toHaveLength(SELF_TEST_STEPS.length);
    // The window really ended the room for its owner, as a user would see it.
    await expect(drivers.page()!.getByRole('button', { name: 'Back to start' })).toBeVisible();
  });
}

test('the page driver names what it could not find, with the alert the page shows', async ({
  browser,
}) => {
  const drivers = selfTestDrivers(browser, { width: 1200, height: 760 });
  await drivers.startHosting();
  try {
    await drivers.openWindow();
    const page = drivers.page()!;
    const driver = createPageDriver((script) => page.evaluate(script), 1_000);
    await driver.waitForStartScreen();
    // Not in a room: there is no invite button.
    await expect(driver.invite('x')).rejects.toThrow('no button "Invite…" after 1 s');
    // A room name the server refuses: the page's own error is part of the failure.
    await expect(
      driver.createRoom({ server: 'https://127.0.0.1:1', room: 'r', user: 'u' }),
    ).rejects.toThrow(/room heading "r" after 1 s \(the page says: .+\)/);
  } finally {
    await drivers.stopHosting();
  }
});
