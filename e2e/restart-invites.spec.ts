import type { Browser, Page } from '@playwright/test';
import { createRoom, expect, expectAccessible, invite, joinWithInvite, test } from './fixtures';
import { ServerProcess } from './serverProcess';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function openAt(browser: Browser, url: string, viewport: typeof PHONE): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  return page;
}

const STALE = /^This page’s address no longer works: its server was restarted/;

// The desktop-sized run hung until its timeout in 2 of 5 full runs on a loaded 2-core machine
// (the restarted server's process never answered); the cause is not found yet, so one retry.
test.describe.configure({ retries: 1 });

for (const [label, viewport, other] of [
  ['390', PHONE, DESKTOP],
  ['1280', DESKTOP, PHONE],
] as const) {
  test(`after a host restart the old tab (${label}) makes no dead invite, and the new page's invite opens`, async ({
    browser,
  }) => {
    // Two server start-ups through tsx and three pages beside the other worker.
    test.setTimeout(150_000);
    let child = await ServerProcess.start(0, '/before-restart');
    try {
      const old = await openAt(browser, child.webUrl, viewport);
      await createRoom(old, 'first', 'alice');
      const port = child.port;
      await child.stop();
      // The host starts again: the page now lives under another secret path.
      child = await ServerProcess.start(port, '/after-restart');
      await expect(old.getByRole('heading', { name: 'first no longer exists' })).toBeVisible({
        timeout: 20_000,
      });
      await old.getByRole('button', { name: 'Back to start' }).click();

      // The old tab starts no room: its invites would name a page address that is now a 404.
      const form = old.getByRole('form', { name: 'Start a room' });
      await form.getByLabel('Room name').fill('second');
      await form.getByLabel('Your name').fill('alice');
      await form.getByRole('button', { name: 'Start a room' }).click();
      await expect(old.getByRole('alert')).toHaveText(STALE);
      await expectAccessible(old);

      // The page's new link works: a room started there invites with a link that opens the page.
      const alice = await openAt(browser, child.webUrl, other);
      await createRoom(alice, 'second', 'alice');
      const { link, code } = await invite(alice, 'bob');
      expect(link.startsWith(`${child.webUrl}#`)).toBe(true);
      const bob = await openAt(browser, link, viewport);
      await expect(bob.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
      await bob.getByRole('button', { name: 'Join', exact: true }).click();
      await expect(bob.getByRole('heading', { name: 'second', level: 1 })).toBeVisible();

      // Nor does the old tab join with an invite (its crypto workers could not load either).
      await joinWithInvite(old, code);
      await expect(old.getByRole('alert')).toHaveText(STALE);
    } finally {
      await child.stop();
    }
  });
}
