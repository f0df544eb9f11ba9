import { expect, test, type Browser, type Page } from '@playwright/test';
import { nodeStreamingS2kBackend } from '../src-main/crypto/nodeS2k';
import { createPageDriver } from '../src-main/electron/self-test/renderer-driver';
import {
  runSelfTest,
  SELF_TEST_STEPS,
  type SelfTestDrivers,
} from '../src-main/electron/self-test/self-test';
import { request as pinnedRequest } from '../src-main/net/pinned-request';
import { startServer, type RunningServer } from '../src-main/server/index';
import type { HostingStatus, ServerRequest } from '../src-shared/ipc/contract';
import type { S2kHash } from '../src-shared/crypto/s2k';

// The desktop self-test with everything real but Electron: the built page in Chromium, the room
// server, and main's pinned transport (in this process, reached from the page's stand-in bridge
// as main is reached over IPC). The page driver's scripts run here exactly as
// webContents.executeJavaScript runs them in the app.

/** The page as the desktop app shows it: `window.localchat` forwards to this process. */
async function openAppPage(
  browser: Browser,
  server: RunningServer,
  status: HostingStatus,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.exposeFunction('mainRequest', (req: ServerRequest) => pinnedRequest(req));
  await page.exposeFunction(
    'mainS2k',
    async (hash: S2kHash, pattern: number[], count: number, contexts: number) =>
      (
        await nodeStreamingS2kBackend.repeatedDigests(
          hash,
          Uint8Array.from(pattern),
          count,
          contexts,
        )
      ).map((d) => Array.from(d)),
  );
  await page.addInitScript(`(() => {
    const status = ${JSON.stringify(status)};
    const request = (req) => window.mainRequest(req);
    const channels = {
      'server:request': request,
      'hosting:interfaces': async () => [{ name: 'lo', address: '127.0.0.1', family: 'IPv4', internal: true }],
      'hosting:status': async () => status,
      'hosting:certificate': async () => ({ kept: false, encryptionAvailable: false }),
      'links:take-pending': async () => [],
      'crypto:s2k-digests': async (req) =>
        (await window.mainS2k(req.hash, Array.from(req.pattern), req.count, req.contexts)).map((d) => Uint8Array.from(d)),
    };
    const bridge = {
      invoke: (channel, ...args) => channels[channel] ? channels[channel](...args) : Promise.reject(new Error('not in this test: ' + channel)),
      on: () => () => {},
      request,
    };
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
