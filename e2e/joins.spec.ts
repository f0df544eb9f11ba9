import type { Browser, Page } from '@playwright/test';
import { createRoom, expect, invite, joinWithInvite, messages, send, test } from './fixtures';
import { StockClient } from './stockClient';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function openAt(browser: Browser, url: string, viewport: typeof PHONE): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
  return page;
}

const said = (page: Page) => messages(page).locator('[data-kind="say"] .body');

for (const [label, owner, friend] of [
  ['a phone', DESKTOP, PHONE],
  ['a desktop', PHONE, DESKTOP],
] as const) {
  test(`messages sent 1 s and 6 s before a friend's join reach the friend on ${label}`, async ({
    browser,
    server,
  }) => {
    const url = server.webUrl ?? `${server.url}/`;
    const room = `window-${friend.width}`;
    const alice = await openAt(browser, url, owner);
    await createRoom(alice, room, 'alice');
    const { code } = await invite(alice, 'bob');
    const bob = await openAt(browser, url, friend);
    // Bob has the invite open (the certificate warning behind him) while alice writes.
    await bob
      .getByRole('form', { name: 'Join with an invite' })
      .getByLabel('Invite', { exact: true })
      .fill(code);
    await send(alice, 'Hi, here is the plan');
    await alice.waitForTimeout(5_000);
    await send(alice, 'and one more thing');
    await alice.waitForTimeout(1_000);
    await joinWithInvite(bob, code);
    await expect(messages(bob).getByText('User bob joined the room')).toBeVisible();
    await expect(said(bob)).toHaveText(['Hi, here is the plan', 'and one more thing']);
    await expect(
      messages(bob).getByText(
        'Messages sent more than 10 seconds before you joined are not shown.',
      ),
    ).toBeVisible();
  });
}

test('the stock client still starts from the join answer’s last message', async ({
  browser,
  server,
}) => {
  const url = server.webUrl ?? `${server.url}/`;
  const alice = await openAt(browser, url, DESKTOP);
  await createRoom(alice, 'window-stock', 'alice');
  const { joinLine, server: serverUrl } = await invite(alice, 'term');
  await send(alice, 'before the terminal joined');
  const stock = StockClient.fromJoinLine(serverUrl, joinLine);
  try {
    await stock.join();
    await send(alice, 'after the terminal joined');
    const seen: string[] = [];
    await expect
      .poll(async () => {
        for (const m of await stock.poll()) if (m.from === 'alice') seen.push(m.plain.text);
        return seen;
      })
      .toEqual(['after the terminal joined']);
  } finally {
    stock.dispose();
  }
});
