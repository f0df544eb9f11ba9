import type { Page } from '@playwright/test';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  messages,
  openClient,
  screenshot,
  test,
} from './fixtures';
import { StockClient } from './stockClient';

/**
 * Issue 21 item 2: one unbroken 250,000-character line (527 bytes compressed) froze a reader's
 * tab for 14.5 s on "Show more". No message may block the page for more than 50 ms to render,
 * folded or unfolded. Long tasks (over 50 ms, the browser's own measure) are printed, not asserted
 * as a time: the machine may be loaded.
 */

const installLongTaskWatch = (page: Page) =>
  page.evaluate(`(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: false });
  })()`);

/** The long tasks since the last call, after two frames have been painted. */
async function longTasks(page: Page): Promise<number[]> {
  return (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const tasks = window.__longTasks; window.__longTasks = []; resolve(tasks);
  })))`)) as number[];
}

const describe = (tasks: number[]) =>
  tasks.length
    ? `${tasks.length} long task(s), longest ${Math.max(...tasks)} ms`
    : 'no task over 50 ms';

for (const size of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`a 250,000-character line and a 19,000-character one never block the page (${size.name})`, async ({
    browser,
    server,
  }) => {
    const alice = await openClient(browser, server);
    await alice.setViewportSize({ width: size.width, height: size.height });
    await createRoom(alice, `long-${size.name}`, 'alice');
    const { joinLine, server: serverUrl } = await invite(alice, 'mallory');
    const mallory = StockClient.fromJoinLine(serverUrl, joinLine);
    await mallory.join();
    await expect(messages(alice).getByText('User mallory joined the room')).toBeVisible();
    await installLongTaskWatch(alice);
    const figures: string[] = [];

    // The attack: one unbroken line, shown folded.
    await mallory.say('x'.repeat(250_000));
    const view = messages(alice).getByRole('button', {
      name: 'View whole text (250,000 characters)',
    });
    await expect(view).toBeVisible({ timeout: 30_000 });
    figures.push(`arrived folded: ${describe(await longTasks(alice))}`);

    await view.click();
    const viewer = alice.getByRole('dialog', { name: 'Whole message (250,000 characters)' });
    await expect(viewer).toBeVisible();
    figures.push(`opened in the viewer: ${describe(await longTasks(alice))}`);
    const body = viewer.getByRole('document', { name: 'Message text' });
    const rowsInPage = await body.locator('.text-viewer-row').count();
    expect(rowsInPage).toBeGreaterThan(0);
    expect(rowsInPage).toBeLessThan(200);
    await body.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(body.locator('.text-viewer-row').last()).toContainText('xxxx');
    figures.push(`scrolled to its end: ${describe(await longTasks(alice))}`);
    await expectAccessible(alice, { include: '.text-viewer', what: 'the text viewer' });
    await screenshot(alice, `long-text-viewer-${size.name}`);
    await viewer.getByRole('button', { name: 'Close' }).click();
    await expect(viewer).toHaveCount(0);
    await expect(view).toBeFocused();

    // Below the viewer's threshold: unfolded in the message, its runs broken.
    await mallory.say(`${'y'.repeat(19_000)} end`);
    const more = messages(alice).getByRole('button', { name: 'Show more (19,004 characters)' });
    await expect(more).toBeVisible({ timeout: 30_000 });
    await longTasks(alice);
    await more.click();
    await expect(messages(alice).getByRole('button', { name: 'Show less' })).toBeVisible();
    await expect(messages(alice).getByText(/y end$/)).toBeVisible();
    figures.push(`19,004 characters unfolded: ${describe(await longTasks(alice))}`);
    await screenshot(alice, `long-text-unfolded-${size.name}`);

    console.log(`long text (${size.name} ${size.width}x${size.height}): ${figures.join('; ')}`);
    mallory.dispose();
  });
}
