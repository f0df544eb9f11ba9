import type { Browser, Page } from '@playwright/test';
import {
  createRoom,
  expect,
  invite,
  joinWithInvite,
  messages,
  screenshot,
  send,
  test,
} from './fixtures';
import { ServerProcess } from './serverProcess';
import { StockClient } from './stockClient';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function openAt(browser: Browser, url: string, viewport: typeof PHONE): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
  return page;
}

/** The texts of the room-wide messages on a page, in the order shown. */
const said = (page: Page) => messages(page).locator('[data-kind="say"] .body');
const delivery = (page: Page, state: string) =>
  messages(page).locator(`[data-delivery="${state}"]`);

test('messages typed during a 20 s freeze wait with a clock and arrive once, in order, without Retry', async ({
  browser,
}) => {
  // A server start through tsx, room set-up, a 20 s freeze and the recovery.
  test.setTimeout(150_000);
  const child = await ServerProcess.start();
  try {
    const alice = await openAt(browser, child.webUrl, PHONE);
    await createRoom(alice, 'outage', 'alice');
    const { code } = await invite(alice, 'bob');
    const bob = await openAt(browser, child.webUrl, DESKTOP);
    await joinWithInvite(bob, code);
    await expect(messages(alice).getByText('User bob joined the room')).toBeVisible();
    await send(alice, 'before the freeze');
    await expect(said(bob)).toHaveText(['before the freeze']);

    child.freeze();
    const frozenAt = Date.now();
    await send(alice, 'first during the freeze');
    await expect(alice.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
    await send(alice, 'second during the freeze');
    // The first one's try times out after 15 s: it waits, with the second queued behind it.
    await expect(delivery(alice, 'waiting')).toHaveCount(2, { timeout: 25_000 });
    await expect(delivery(alice, 'waiting').first()).toContainText('waiting for the server');
    await expect(delivery(alice, 'failed')).toHaveCount(0);
    await expect(alice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await screenshot(alice, 'outages-waiting-390');
    await alice.waitForTimeout(Math.max(0, 20_000 - (Date.now() - frozenAt)));
    await expect(delivery(alice, 'failed')).toHaveCount(0);
    child.thaw();

    await expect(said(bob)).toHaveText(
      ['before the freeze', 'first during the freeze', 'second during the freeze'],
      { timeout: 20_000 },
    );
    await expect(delivery(alice, 'sent')).toHaveCount(3);
    await expect(alice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    // Late duplicates would come with the next polls: give them the time to.
    await bob.waitForTimeout(3_000);
    await expect(said(bob)).toHaveCount(3);
    await expect(said(alice)).toHaveText([
      'before the freeze',
      'first during the freeze',
      'second during the freeze',
    ]);
  } finally {
    await child.stop();
  }
});

test('a send whose answer a proxy swallows is sent again by itself and stored once', async ({
  browser,
  server,
}) => {
  const url = server.webUrl ?? `${server.url}/`;
  const alice = await openAt(browser, url, DESKTOP);
  await createRoom(alice, 'swallowed', 'alice');
  const { code } = await invite(alice, 'bob');
  const { joinLine, server: serverUrl } = await invite(alice, 'term');
  const bob = await openAt(browser, url, PHONE);
  await joinWithInvite(bob, code);
  await expect(messages(alice).getByText('User bob joined the room')).toBeVisible();
  const stock = StockClient.fromJoinLine(serverUrl, joinLine);
  try {
    await stock.join();
    // The proxy: the first sendMsg reaches the server, which stores it; its answer never returns.
    let swallowed = 0;
    await alice.route('**/*', async (route) => {
      const request = route.request();
      if (
        swallowed === 0 &&
        request.method() === 'POST' &&
        /"action":"sendMsg"/.test(request.postData() ?? '')
      ) {
        swallowed++;
        const answer = await route.fetch();
        expect(answer.status()).toBe(200);
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await send(alice, 'the answer to this one is lost');
    await expect(delivery(alice, 'sent')).toHaveCount(1, { timeout: 20_000 });
    expect(swallowed).toBe(1);
    await expect(alice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await send(alice, 'and this one follows');
    await expect(said(bob)).toHaveText(['the answer to this one is lost', 'and this one follows']);
    await expect(said(alice)).toHaveText([
      'the answer to this one is lost',
      'and this one follows',
    ]);
    const seen: string[] = [];
    await expect
      .poll(async () => {
        for (const m of await stock.poll()) if (m.from === 'alice') seen.push(m.plain.text);
        return seen.length;
      })
      .toBe(2);
    expect(seen).toEqual(['the answer to this one is lost', 'and this one follows']);
  } finally {
    stock.dispose();
  }
});
