import type { Browser, Page } from '@playwright/test';
import type { RunningServer } from '../src-main/server/index';
import { expect, invite, joinWithInvite, messages, screenshot, test } from './fixtures';

/**
 * Runs the page as the desktop app would, in Chromium: a stand-in `window.localchat` bridge that
 * forwards `server:request` to the room server (main does this over pinned HTTPS in the app) and
 * presents `presentedFingerprint` as the server's certificate, so a mismatch can be staged.
 */
async function openDesktop(
  browser: Browser,
  server: RunningServer,
  presentedFingerprint: string,
  pendingLinks: string[] = [],
): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const config = JSON.stringify({ origin: server.url, port: server.port, fingerprint: presentedFingerprint, pendingLinks });
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
        return { ok: true, status: hosting };
      },
      'hosting:stop': async () => { hosting = null; },
      'hosting:certificate': async () => ({ kept: false, encryptionAvailable: false }),
      'hosting:forget-certificate': async () => {},
      'links:take-pending': async () => cfg.pendingLinks.splice(0),
    };
    window.localchat = {
      request,
      invoke: (channel, ...args) => channels[channel](...args),
      on: () => () => {},
    };
  })()`);
  await page.goto(server.webUrl ?? `${server.url}/`);
  return page;
}

test('desktop mode: hosting, creating with the local server, pinned invites and a mismatched certificate', async ({ browser, server }) => {
  const owner = await openDesktop(browser, server, server.fingerprint);
  await owner.getByRole('button', { name: 'Start hosting' }).click();
  await expect(owner.getByRole('region', { name: 'Hosting on this computer' })).toContainText(server.url);
  await screenshot(owner, 'desktop-hosting');

  const create = owner.getByRole('form', { name: 'Create a room' });
  await expect(create.getByLabel('Server address')).toHaveValue(server.url);
  await create.getByLabel('Room name').fill('desk');
  await create.getByLabel('Your name').fill('dora');
  await create.getByRole('button', { name: 'Create and join' }).click();
  await expect(messages(owner).getByText('User dora joined the room')).toBeVisible();

  await owner.getByRole('button', { name: 'Invite…' }).click();
  await owner.getByLabel('Their name in the room').fill('eli');
  await owner.getByRole('button', { name: 'Create invite' }).click();
  await expect(owner.getByRole('dialog', { name: 'Invite for eli' })).toContainText(server.fingerprint);
  await owner.getByRole('button', { name: 'Done' }).click();
  const { code, link } = await invite(owner, 'fay');

  // Someone in the middle presents another certificate: nothing is sent, the reason is shown.
  const intercepted = await openDesktop(browser, server, 'AB:'.repeat(31) + 'AB');
  await joinWithInvite(intercepted, code);
  await expect(intercepted.getByRole('alert')).toContainText('does not match the one in the invite');

  // The app was started by opening fay's localchat:// link: the invite is filled in to confirm.
  const fay = await openDesktop(browser, server, server.fingerprint, [link]);
  const field = fay.getByLabel('Invite code, localchat:// link or /join line');
  await expect(field).toHaveValue(link);
  await fay.getByRole('form', { name: 'Join with an invite' }).getByRole('button', { name: 'Join room' }).click();
  await expect(fay.getByRole('heading', { name: 'desk', level: 1 })).toBeVisible();
  await expect(messages(owner).getByText('User fay joined the room')).toBeVisible();
});
