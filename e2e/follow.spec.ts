import type { Browser, Page } from '@playwright/test';
import { createRoom, expect, invite, joinWithInvite, messages, screenshot, test } from './fixtures';

async function openAt(browser: Browser, url: string, viewport: { width: number; height: number }) {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
  return page;
}

/** Sends without waiting for anything but the box to empty: a burst, as fast as one can type. */
async function burst(page: Page, texts: readonly string[]) {
  const box = page.getByLabel('Message', { exact: true });
  for (const text of texts) {
    await box.fill(text);
    await box.press('Enter');
    await expect(box).toHaveValue('');
  }
}

/** Pixels between the message pane's view and its bottom, once layout has settled for two frames. */
function distanceFromBottom(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const el = document.querySelector('.messages')!;
            resolve(el.scrollHeight - el.scrollTop - el.clientHeight);
          }),
        ),
      ),
  );
}

async function expectAtBottom(page: Page) {
  await expect.poll(() => distanceFromBottom(page)).toBeLessThanOrEqual(1);
  await expect(page.getByRole('button', { name: /new message/ })).toHaveCount(0);
}

const LONG = Array.from(
  { length: 40 },
  (_, i) => `Line ${i + 1} of the plan, with some words.`,
).join('\n');
const LINK = 'https://example.com/a/rather/long/path/to/the/shared/document?version=3&view=full';
const UNBROKEN = 'x'.repeat(400);

for (const viewport of [
  { width: 390, height: 844 },
  { width: 320, height: 568 },
  { width: 1280, height: 800 },
]) {
  test(`a reader at the bottom stays there through bursts and late layout at ${viewport.width}`, async ({
    browser,
    server,
  }) => {
    const url = server.webUrl ?? `${server.url}/`;
    const alice = await openAt(browser, url, { width: 1280, height: 800 });
    await createRoom(alice, `follow-${viewport.width}`, 'alice');
    const { code } = await invite(alice, 'bob');
    const bob = await openAt(browser, url, viewport);
    await joinWithInvite(bob, code);
    await expect(messages(bob).getByText('User bob joined the room')).toBeVisible();
    await burst(
      alice,
      Array.from({ length: 12 }, (_, i) => `warming up ${i + 1}`),
    );
    await expect(messages(bob).getByText('warming up 12')).toBeVisible();
    await expectAtBottom(bob);

    // One folded long message, a link and a 400-character line, at once.
    await burst(alice, [LONG, LINK, UNBROKEN]);
    await expect(messages(bob).getByText(UNBROKEN)).toBeVisible();
    await expectAtBottom(bob);

    // Layout that settles late (a web font, an image): the newest line grows after it was shown.
    await bob.evaluate(() => {
      const last = document.querySelector<HTMLElement>('.message-items > li:last-child .body')!;
      setTimeout(() => (last.style.paddingBottom = '160px'), 300);
    });
    await bob.waitForTimeout(600);
    await expectAtBottom(bob);

    // Bursts of two-line messages.
    await burst(
      alice,
      Array.from({ length: 20 }, (_, i) => `message ${i + 1}, first line\nand its second line`),
    );
    await expect(messages(bob).getByText('message 20, first line')).toBeVisible();
    await expectAtBottom(bob);
    await screenshot(bob, `follow-${viewport.width}`);

    // Scrolled up, the view stays where the reader put it and counts what came.
    await bob.locator('.messages').evaluate((el) => (el.scrollTop = 0));
    await burst(alice, ['one more while bob reads back']);
    await expect(bob.getByRole('button', { name: '1 new message ↓' })).toBeVisible();
    expect(await bob.locator('.messages').evaluate((el) => el.scrollTop)).toBe(0);
  });
}
