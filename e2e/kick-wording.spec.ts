import type { Browser } from '@playwright/test';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  joinWithInvite,
  messages,
  screenshot,
  test,
} from './fixtures';

async function openAt(browser: Browser, url: string, viewport: { width: number; height: number }) {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
  return page;
}

const USED =
  /^This invite was already used: the LocalChat window or device that first joined with it replaced its password/;

for (const viewport of [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
]) {
  test(`the kick confirmation says what happens, and a used invite says so first (${viewport.width})`, async ({
    browser,
    server,
  }) => {
    const url = server.webUrl ?? `${server.url}/`;
    const owner = await openAt(browser, url, viewport);
    await createRoom(owner, `kicks-${viewport.width}`, 'olivia');
    const { code } = await invite(owner, 'kim');
    const kim = await openAt(browser, url, viewport);
    await joinWithInvite(kim, code);
    await expect(messages(owner).getByText('User kim joined the room')).toBeVisible();

    // A second tab or device with the same invite: the first one replaced its password.
    const other = await openAt(browser, url, viewport);
    await joinWithInvite(other, code);
    await expect(other.getByRole('alert')).toHaveText(USED);
    await expectAccessible(other);
    await screenshot(other, `invite-used-${viewport.width}`);

    if (viewport.width < 700) await owner.getByRole('button', { name: /^People/ }).click();
    await owner.getByRole('button', { name: 'Kick kim' }).click();
    const dialog = owner.getByRole('alertdialog');
    await expect(dialog).toContainText(
      'kim will be signed out of the room, but keeps their name: they can come back from the window they used (with the terminal client, with their invite). An invite already used in LocalChat opens nothing elsewhere. To keep them out, ban them instead.',
    );
    await expect(dialog).not.toContainText('They can rejoin with their invite');
    await screenshot(owner, `kick-confirmation-${viewport.width}`);
    await dialog.getByRole('button', { name: 'Kick' }).click();
    await expect(
      kim.getByRole('heading', { name: `You are no longer in kicks-${viewport.width}` }),
    ).toBeVisible();

    // What the dialog said: the window kim used comes back with the invite; elsewhere it is used.
    await kim.getByRole('button', { name: 'Back to start' }).click();
    await joinWithInvite(kim, code);
    await expect(
      kim.getByRole('heading', { name: `kicks-${viewport.width}`, level: 1 }),
    ).toBeVisible();
    await joinWithInvite(other, code);
    await expect(other.getByRole('alert')).toHaveText(USED);
  });
}
