/// <reference lib="dom" />
import type { Page } from '@playwright/test';
import {
  confirmDialog,
  createRoom,
  expect,
  expectAccessible,
  invite,
  joinWithInvite,
  messages,
  openClient,
  roomMenu,
  screenshot,
  send,
  test,
} from './fixtures';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
type Size = typeof PHONE;

/**
 * Checks and photographs one screen at each size, in light and dark: the screenshots under
 * test-results/screenshots are looked at by eye, axe runs on every one (contrast differs by scheme).
 */
function captureIn(colorScheme: 'light' | 'dark') {
  return async (page: Page, name: string, sizes: Size[] = [PHONE, DESKTOP]) => {
    await page.emulateMedia({ colorScheme });
    for (const size of sizes) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise(requestAnimationFrame));
      const label = `${name}-${size.width}x${size.height}-${colorScheme}`;
      await expectAccessible(page, { what: label });
      await screenshot(page, label);
    }
  };
}

// One flow per colour scheme, on both workers at once: together they are the suite's longest spec.
test.describe.configure({ mode: 'parallel' });

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every room screen, dialog and ended screen passes axe at both sizes, ${colorScheme}`, async ({
    browser,
    server,
  }) => {
    test.setTimeout(600_000);
    const capture = captureIn(colorScheme);
    const room = `a11y-${colorScheme}`;
    const alice = await openClient(browser, server);
    await capture(alice, 'start');
    await createRoom(alice, room, 'alice');
    await capture(alice, 'room-empty');

    // The invite dialog (its look belongs to the invite work; it must still pass axe).
    await alice.getByRole('button', { name: 'Invite…' }).click();
    await expect(alice.getByRole('dialog', { name: 'Invite someone' })).toBeVisible();
    await capture(alice, 'invite-dialog', [DESKTOP]);
    await alice.keyboard.press('Escape');

    const bob = await openClient(browser, server);
    const carol = await openClient(browser, server);
    const codes = { bob: await invite(alice, 'bob'), carol: await invite(alice, 'carol') };
    await joinWithInvite(bob, codes.bob.code);
    await joinWithInvite(carol, codes.carol.code);
    await expect(messages(alice).getByText('User carol joined the room')).toBeVisible();

    await send(bob, 'hi alice, see https://example.org/a?b=c.');
    await send(bob, 'a second line from bob\nwith a continuation');
    await send(bob, '/me waves');
    await send(bob, '/msg alice just between us');
    await send(alice, '/msg bob same here');
    await send(alice, 'hello everyone');
    await expect(messages(alice).getByText('just between us')).toBeVisible();
    await expect(messages(bob).getByText('hello everyone')).toBeVisible();
    await capture(alice, 'room-owner');
    await capture(bob, 'room-member');

    // The More menu and the confirmation it leads to.
    await alice.getByRole('button', { name: 'More' }).click();
    await capture(alice, 'more-menu');
    await alice.getByRole('button', { name: 'Close room…' }).click();
    await expect(alice.getByRole('alertdialog')).toBeVisible();
    await capture(alice, 'confirm-close');
    await alice.keyboard.press('Escape');

    // The people sheet on a phone, and a kick's confirmation from it.
    await alice.setViewportSize(PHONE);
    await alice.getByRole('button', { name: /^People/ }).click();
    await expect(alice.getByRole('dialog', { name: /In the room/ })).toBeVisible();
    await capture(alice, 'people-sheet', [PHONE]);
    await alice.getByRole('button', { name: 'Kick bob' }).click();
    await capture(alice, 'confirm-kick', [PHONE]);
    await confirmDialog(alice, 'Kick');
    await expect(bob.getByRole('heading', { name: `You are no longer in ${room}` })).toBeVisible();
    await capture(bob, 'ended-kicked');

    await bob.getByRole('button', { name: 'Back to start' }).click();
    await joinWithInvite(bob, codes.bob.code);
    await expect(messages(alice).getByText('User bob joined the room')).toHaveCount(2);
    await send(bob, 'back again');
    await alice.setViewportSize(DESKTOP);
    await alice.getByRole('button', { name: 'Ban carol' }).click();
    await confirmDialog(alice, 'Ban');
    await expect(carol.getByRole('heading', { level: 1 })).toContainText(room);
    await capture(carol, 'ended-banned');
    // A ban is one notice to the room, not a kick and a ban.
    await expect(messages(alice).getByText('User alice banned carol from the room')).toBeVisible();
    await expect(messages(alice).getByText('User alice kicked carol from the room')).toHaveCount(0);
    await expect(messages(bob).getByText('User alice banned carol from the room')).toBeVisible();
    await expect(messages(bob).getByText('User alice kicked carol from the room')).toHaveCount(0);
    await capture(alice, 'room-after-ban', [DESKTOP]);

    await roomMenu(alice, 'Close room…');
    await confirmDialog(alice, 'Close room');
    await expect(alice.getByRole('heading', { name: `Room ${room} closed` })).toBeVisible();
    await capture(alice, 'ended-closed-owner');
    await expect(bob.getByRole('heading', { level: 1 })).toContainText(room);
    await capture(bob, 'ended-closed-member');

    const dave = await openClient(browser, server);
    await createRoom(dave, `leaving-${colorScheme}`, 'dave');
    await roomMenu(dave, 'Leave…');
    await confirmDialog(dave, 'Leave');
    await expect(
      dave.getByRole('heading', { name: `You left leaving-${colorScheme}` }),
    ).toBeVisible();
    await capture(dave, 'ended-left');
  });
}
