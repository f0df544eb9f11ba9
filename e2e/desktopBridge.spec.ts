import type { Browser, Page } from '@playwright/test';
import { nodeStreamingS2kBackend } from '../src-main/crypto/nodeS2k';
import type { RunningServer } from '../src-main/server/index';
import type { S2kHash } from '../src-shared/crypto/s2k';
import { expect, invite, joinWithInvite, messages, screenshot, test } from './fixtures';
import { StockClient } from './stockClient';

/**
 * Runs the page as the desktop app would, in Chromium: a stand-in `window.localchat` bridge that
 * forwards `server:request` to the room server (main does this over pinned HTTPS in the app) and
 * presents `presentedFingerprint` as the server's certificate, so a mismatch can be staged.
 * `crypto:s2k-digests` runs Node's streaming S2K in the test process, as main does in the app,
 * and the page records the count of each call in `window.s2kCounts`.
 */
async function openDesktop(
  browser: Browser,
  server: RunningServer,
  presentedFingerprint: string,
  pendingLinks: string[] = [],
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.exposeFunction(
    'nodeS2k',
    async (hash: S2kHash, pattern: number[], count: number, contexts: number) =>
      (
        await nodeStreamingS2kBackend.repeatedDigests(
          hash,
          Uint8Array.from(pattern),
          count,
          contexts,
        )
      ).map((digest) => Array.from(digest)),
  );
  const config = JSON.stringify({
    origin: server.url,
    web: server.webUrl,
    port: server.port,
    fingerprint: presentedFingerprint,
    pendingLinks,
  });
  await page.addInitScript(`(() => {
    const cfg = ${config};
    const norm = (f) => f.replace(/:/g, '').toUpperCase();
    let hosting = null;
    const request = async (req) => {
      if (req.fingerprint && norm(req.fingerprint) !== norm(cfg.fingerprint)) {
        return { kind: 'certificate-mismatch', expected: req.fingerprint, actual: cfg.fingerprint };
      }
      try {
        const res = await fetch(cfg.origin + '/', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ action: req.action, payload: req.payload }),
        });
        const text = await res.text();
        return { kind: 'response', status: res.status, body: text ? JSON.parse(text) : null, fingerprint: cfg.fingerprint };
      } catch (error) {
        return { kind: 'unreachable', message: String(error) };
      }
    };
    const channels = {
      'server:request': request,
      'hosting:interfaces': async () => [
        { name: 'lo', address: '127.0.0.1', family: 'IPv4', internal: true },
      ],
      'hosting:status': async () => hosting,
      'hosting:start': async (options) => {
        hosting = { url: cfg.origin, address: options.address, port: cfg.port, fingerprint: cfg.fingerprint, certificateKept: false };
        if (options.serveWeb) hosting.webUrl = cfg.web;
        return { ok: true, status: hosting };
      },
      'hosting:stop': async () => { hosting = null; },
      'hosting:certificate': async () => ({ kept: false, encryptionAvailable: false }),
      'hosting:forget-certificate': async () => {},
      'links:take-pending': async () => cfg.pendingLinks.splice(0),
      'crypto:s2k-digests': async (req) => {
        window.s2kCounts.push(req.count);
        const digests = await window.nodeS2k(req.hash, Array.from(req.pattern), req.count, req.contexts);
        return digests.map((digest) => Uint8Array.from(digest));
      },
    };
    window.s2kCounts = [];
    window.localchat = {
      request,
      invoke: (channel, ...args) => channels[channel](...args),
      on: () => () => {},
    };
  })()`);
  await page.goto(server.webUrl ?? `${server.url}/`);
  return page;
}

test('desktop mode: hosting, creating with the local server, pinned invites and a mismatched certificate', async ({
  browser,
  server,
}) => {
  const owner = await openDesktop(browser, server, server.fingerprint);
  // Without the browser page, invites are localchat:// links for the app.
  await owner.getByLabel('Also serve the browser page (under a secret path)').uncheck();
  await owner.getByRole('button', { name: 'Start hosting' }).click();
  await expect(owner.getByRole('region', { name: 'Hosting on this computer' })).toContainText(
    server.url,
  );
  await screenshot(owner, 'desktop-hosting');

  const create = owner.getByRole('form', { name: 'Start a room' });
  await expect(create.getByLabel('Server address')).toHaveValue(server.url);
  await create.getByLabel('Room name').fill('desk');
  await create.getByLabel('Your name').fill('dora');
  await create.getByLabel('Ask me before anyone joins').uncheck();
  await create.getByRole('button', { name: 'Start a room' }).click();
  await expect(messages(owner).getByText('User dora joined the room')).toBeVisible();

  await owner.getByRole('button', { name: 'Invite…' }).click();
  await owner.getByLabel('Their name in the room').fill('eli');
  await owner.getByRole('dialog').getByRole('button', { name: 'Create invite' }).click();
  await expect(owner.getByRole('dialog', { name: 'Invite for eli' })).toContainText(
    server.fingerprint,
  );
  await owner.getByRole('button', { name: 'Done' }).click();
  const { code, link } = await invite(owner, 'fay');

  // Someone in the middle presents another certificate: nothing is sent, the reason is shown.
  const intercepted = await openDesktop(browser, server, 'AB:'.repeat(31) + 'AB');
  await joinWithInvite(intercepted, code);
  await expect(intercepted.getByRole('alert')).toContainText(
    'does not match the one in the invite',
  );

  // The app was started by opening fay's localchat:// link: the invite is filled in to confirm.
  const fay = await openDesktop(browser, server, server.fingerprint, [link]);
  const form = fay.getByRole('form', { name: 'Join with an invite' });
  await expect(form.getByLabel('Invite', { exact: true })).toHaveValue(link);
  // Before anything is sent: what the invite is for, and that the app pins the certificate.
  const summary = form.getByRole('region', { name: 'What this invite is for' });
  await expect(summary).toContainText('desk');
  await expect(summary).toContainText('fay');
  await expect(summary).toContainText(server.url);
  await expect(summary).toContainText(`Pinned by the invite (${server.fingerprint.slice(0, 23)}…)`);
  await form.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(fay.getByRole('heading', { name: 'desk', level: 1 })).toBeVisible();
  await expect(messages(owner).getByText('User fay joined the room')).toBeVisible();
});

test('desktop mode: hosting the browser page makes the invite its https link, which the app also joins with, pinned', async ({
  browser,
  server,
}) => {
  const owner = await openDesktop(browser, server, server.fingerprint);
  await expect(owner.getByLabel('Also serve the browser page (under a secret path)')).toBeChecked();
  await owner.getByRole('button', { name: 'Start hosting' }).click();
  const create = owner.getByRole('form', { name: 'Start a room' });
  await expect(create.getByLabel('Server address')).toHaveValue(server.url);
  await create.getByLabel('Room name').fill('webdesk');
  await create.getByLabel('Your name').fill('hana');
  await create.getByLabel('Ask me before anyone joins').uncheck();
  await create.getByRole('button', { name: 'Start a room' }).click();
  await expect(messages(owner).getByText('User hana joined the room')).toBeVisible();
  const { link, message } = await invite(owner, 'ivo');
  expect(link.startsWith(`${server.webUrl}#join=LC1.`)).toBe(true);
  expect(message).toContain(server.fingerprint.slice(0, 23));

  // Pasted into the app, the same link joins, and the summary says the certificate is pinned.
  const ivo = await openDesktop(browser, server, server.fingerprint);
  const form = ivo.getByRole('form', { name: 'Join with an invite' });
  await form.getByLabel('Invite', { exact: true }).fill(link);
  await expect(form.getByRole('region', { name: 'What this invite is for' })).toContainText(
    'Pinned by the invite',
  );
  await form.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(ivo.getByRole('heading', { name: 'webdesk', level: 1 })).toBeVisible();
  await expect(messages(owner).getByText('User ivo joined the room')).toBeVisible();
});

test('desktop mode: a gpg-made message is decrypted with the S2K hashed by main', async ({
  browser,
  server,
}) => {
  const owner = await openDesktop(browser, server, server.fingerprint);
  const create = owner.getByRole('form', { name: 'Start a room' });
  await create.getByLabel('Server address').fill(server.url);
  await create.getByLabel('Room name').fill('s2k');
  await create.getByLabel('Your name').fill('gus');
  await create.getByLabel('Ask me before anyone joins').uncheck();
  await create.getByRole('button', { name: 'Start a room' }).click();
  await expect(messages(owner).getByText('User gus joined the room')).toBeVisible();
  const { joinLine } = await invite(owner, 'term');
  const stock = StockClient.fromJoinLine(server.url, joinLine);
  try {
    await stock.join();
    await stock.say('hashed in main');
    await expect(messages(owner).getByText('hashed in main')).toBeVisible();
    // GnuPG's default count went to main; SYSTEM's and our own small counts stayed in the page.
    const counts = await owner.evaluate<number[]>('window.s2kCounts');
    expect(counts).toEqual([65_011_712]);
  } finally {
    stock.dispose();
  }
});
