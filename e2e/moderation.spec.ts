import {
  createRoom,
  expect,
  invite,
  joinWithInvite,
  messages,
  openClient,
  screenshot,
  send,
  test,
} from './fixtures';
import type { Page } from '@playwright/test';

async function confirmOwnerAction(owner: Page, button: string, confirm: string) {
  await owner.getByRole('button', { name: button }).click();
  const dialog = owner.getByRole('alertdialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: confirm }).click();
  await expect(dialog).toBeHidden();
}

test('kick, ban and close end the victims’ sessions with the notice shown', async ({
  browser,
  server,
}) => {
  const owner = await openClient(browser, server);
  await createRoom(owner, 'mods', 'olivia');
  const kim = await openClient(browser, server);
  const bea = await openClient(browser, server);
  const cal = await openClient(browser, server);
  const codes = {
    kim: await invite(owner, 'kim'),
    bea: await invite(owner, 'bea'),
    cal: await invite(owner, 'cal'),
  };
  await joinWithInvite(kim, codes.kim.code);
  await joinWithInvite(bea, codes.bea.code);
  await joinWithInvite(cal, codes.cal.code);
  await expect(messages(owner).getByText('User cal joined the room')).toBeVisible();

  // A confirmation guards each action; cancelling changes nothing.
  await owner.getByRole('button', { name: 'Kick kim' }).click();
  await owner.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
  await send(kim, 'still here');
  await expect(messages(owner).getByText('still here')).toBeVisible();

  await confirmOwnerAction(owner, 'Kick kim', 'Kick');
  await expect(kim.getByRole('heading', { name: 'You are no longer in mods' })).toBeVisible();
  await expect(
    kim.getByText('The room’s owner removed you from the room. Ask for a new invite to come back.'),
  ).toBeVisible();
  await expect(kim.getByText('still here')).toHaveCount(0);
  await screenshot(kim, 'kicked-notice');
  await expect(
    messages(owner)
      .locator('[data-level="syswarn"]')
      .getByText('User olivia kicked kim from the room'),
  ).toBeVisible();
  // A kicked user may come back with the same invite.
  await kim.getByRole('button', { name: 'Back to start' }).click();
  await joinWithInvite(kim, codes.kim.code);
  await expect(kim.getByRole('heading', { name: 'mods', level: 1 })).toBeVisible();

  await confirmOwnerAction(owner, 'Ban bea', 'Ban');
  await expect(
    bea.getByText('The room’s owner banned you. You cannot rejoin unless invited again.'),
  ).toBeVisible();
  await expect(messages(owner).getByText('User olivia banned bea from the room')).toBeVisible();
  await expect(
    owner.getByRole('complementary', { name: /In the room/ }).locator('[data-user="bea"]'),
  ).toHaveCount(0);
  // A banned user's account is gone.
  await bea.getByRole('button', { name: 'Back to start' }).click();
  await joinWithInvite(bea, codes.bea.code);
  await expect(bea.getByRole('alert')).toHaveText(
    'There is no user “bea” in room “mods”. Ask the room for a new invite.',
  );

  await owner.getByRole('button', { name: 'More' }).click();
  await confirmOwnerAction(owner, 'Close room…', 'Close room');
  await expect(owner.getByRole('heading', { name: 'Room mods closed' })).toBeVisible();
  for (const victim of [kim, cal]) {
    await expect(victim.getByRole('heading', { name: 'You are no longer in mods' })).toBeVisible();
    await expect(
      victim.getByText('The room’s owner closed the room. Its messages are gone from the server.'),
    ).toBeVisible();
  }
  await screenshot(cal, 'room-closed-notice');
});
