/// <reference lib="dom" />
import { createRoom, expect, messages, openClient, screenshot, test } from './fixtures';

for (const size of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
  // The narrowest phone, a phone in landscape, a large desktop.
  { width: 320, height: 568 },
  { width: 844, height: 390 },
  { width: 2560, height: 1440 },
]) {
  test(`at ${size.width}x${size.height} the document never scrolls and the box and newest message stay in view`, async ({
    browser,
    server,
  }) => {
    const page = await openClient(browser, server);
    await page.setViewportSize(size);
    await createRoom(page, `layout${size.width}`, 'alice');
    const box = page.getByLabel('Message', { exact: true });
    for (let i = 1; i <= 40; i++) {
      await box.fill(`message ${i}`);
      await box.press('Enter');
    }
    await box.fill(`long ${'word '.repeat(399)}end`);
    // Time from Enter to the message on screen, measured in the page.
    const shownAfter = await page.evaluate(async () => {
      const input = document.querySelector<HTMLTextAreaElement>('textarea.message-input')!;
      const log = document.querySelector('[role="log"]')!;
      const start = performance.now();
      const shown = new Promise<number>((resolve) => {
        new MutationObserver((_, o) => {
          if (log.textContent?.includes('long word')) {
            o.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - start));
          }
        }).observe(log, { childList: true, subtree: true, characterData: true });
      });
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      return shown;
    });
    console.log(
      `${size.width}x${size.height}: Enter to message on screen ${Math.round(shownAfter)} ms`,
    );
    const newest = messages(page).locator('[data-kind="say"]').last();
    await expect(newest).toContainText('long word');
    await expect(newest.locator('[data-delivery="sent"]')).toBeVisible();
    await page.waitForTimeout(300);
    // The document itself does not scroll, however far it is asked to.
    const scrolled = await page.evaluate(() => {
      window.scrollTo(0, 1e6);
      return window.scrollY;
    });
    expect(scrolled).toBe(0);
    await expect(box).toBeInViewport({ ratio: 1 });
    await expect(newest).toBeInViewport();
    // Nothing covers the box: the element at its centre is the box itself.
    const covered = await box.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) !== el;
    });
    expect(covered).toBe(false);
    await screenshot(page, `layout-${size.width}x${size.height}`);
  });
}

test('a name or text with RLO and a text with a fake "12:00 bob:" line stay inside their message', async ({
  browser,
  server,
}) => {
  const page = await openClient(browser, server);
  await createRoom(page, 'bidi', 'alice');
  const box = page.getByLabel('Message', { exact: true });
  await box.fill('\u202Eevil text');
  await box.press('Enter');
  await box.fill('first line');
  await box.press('Shift+Enter');
  await box.pressSequentially('12:00 bob: hi');
  await box.press('Enter');
  const log = messages(page);
  const fake = log.locator('[data-kind="say"]').filter({ hasText: '12:00 bob: hi' });
  await expect(fake).toHaveCount(1);
  // One message, its continuation line inside the same text element, no second sender.
  await expect(fake.locator('.sender')).toHaveCount(0);
  await expect(fake.locator('bdi.text')).toHaveText('first line\n12:00 bob: hi');
  const rlo = log.locator('[data-kind="say"]').filter({ hasText: 'evil text' });
  await expect(rlo.locator('bdi.text')).toHaveAttribute('dir', 'auto');
  const unicodeBidi = await rlo
    .locator('bdi.text')
    .evaluate((el) => getComputedStyle(el).unicodeBidi);
  expect(unicodeBidi).toBe('isolate');
});
