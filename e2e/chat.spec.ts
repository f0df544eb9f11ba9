import { encodeInvite } from '../src-shared/invite';
import {
  confirmDialog,
  createRoom,
  expect,
  invite,
  joinWithInvite,
  messages,
  openClient,
  roomMenu,
  screenshot,
  send,
  test,
} from './fixtures';

test('an owner creates a room, invites two people and all three chat', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await screenshot(alice, 'start-screen');
  await createRoom(alice, 'friday', 'alice');
  await alice.getByRole('button', { name: 'More' }).click();
  await expect(alice.getByRole('button', { name: 'Close room…' })).toBeVisible();
  await alice.keyboard.press('Escape');

  const bobInvite = await invite(alice, 'bob', 'invite-panel');
  // The page is served by the room server: the link is the page's, with the invite after '#'.
  expect(bobInvite.link).toBe(`${server.webUrl}#join=${bobInvite.code}`);
  expect(bobInvite.server).toBe(server.webUrl?.replace(/\/$/, '') ?? server.url);
  expect(bobInvite.joinLine).toMatch(/^\/join friday [A-Z0-9]{16}:[A-Z0-9]{16} bob$/);
  const carolInvite = await invite(alice, 'carol');

  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  await expect(bob.getByRole('heading', { name: 'friday', level: 1 })).toBeVisible();
  // Carol pastes the stock client's /join line instead of the code.
  const carol = await openClient(browser, server);
  await joinWithInvite(carol, carolInvite.joinLine);
  await expect(carol.getByRole('heading', { name: 'friday', level: 1 })).toBeVisible();
  await expect(messages(carol).getByText('User carol joined the room')).toBeVisible();

  // Non-owners see no owner controls; focus starts in the message box.
  await expect(bob.getByRole('button', { name: /^Close room/ })).toHaveCount(0);
  await expect(bob.getByRole('button', { name: /^Kick / })).toHaveCount(0);
  await expect(bob.getByLabel('Message', { exact: true })).toBeFocused();

  await send(alice, 'hello both');
  await send(bob, 'hi alice');
  await send(carol, '/me waves');
  for (const page of [alice, bob, carol]) {
    const log = messages(page);
    await expect(log.getByText('hello both')).toBeVisible();
    await expect(log.getByText('hi alice')).toBeVisible();
    await expect(log.locator('[data-kind="do"]')).toContainText('* carol waves');
  }

  // A DM reaches only its recipient; the sender sees a local copy.
  await send(bob, '/msg carol just between us');
  await expect(messages(carol).locator('[data-dm="true"]')).toContainText('just between us');
  await expect(messages(carol).locator('[data-dm="true"]')).toContainText('DM from bob');
  await expect(messages(bob).locator('[data-dm="true"]')).toContainText('DM to carol');
  // The DM button on a participant prefills the box.
  await alice.getByRole('button', { name: 'Direct message bob' }).click();
  await expect(alice.getByLabel('Message', { exact: true })).toHaveValue('/msg bob ');
  await alice.getByLabel('Message', { exact: true }).pressSequentially('owner to bob');
  await alice.getByLabel('Message', { exact: true }).press('Enter');
  await expect(messages(bob).getByText('owner to bob')).toBeVisible();
  await send(carol, 'after the DMs');
  await expect(messages(alice).getByText('after the DMs')).toBeVisible();
  await expect(messages(alice).getByText('just between us')).toHaveCount(0);
  await expect(messages(carol).getByText('owner to bob')).toHaveCount(0);

  // Members list comes from the listMembers extension: everyone, with the owner marked.
  const members = bob.getByRole('complementary', { name: /In the room/ });
  await expect(members.locator('[data-user]')).toHaveCount(3);
  await expect(members.locator('[data-user="alice"]')).toContainText('owner');

  // Up recalls the last line typed, like the stock client.
  const box = carol.getByLabel('Message', { exact: true });
  await box.press('ArrowUp');
  await expect(box).toHaveValue('after the DMs');
  await box.press('ArrowUp');
  await expect(box).toHaveValue('/me waves');
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  await expect(box).toHaveValue('');

  await send(alice, '/help');
  await expect(
    messages(alice).getByText('/msg USER TEXT — send a direct message only USER can read'),
  ).toBeVisible();
  await screenshot(alice, 'room-with-messages');

  // Leaving returns to a clean start: the room's lines are gone from the page.
  await roomMenu(bob, 'Leave…');
  await confirmDialog(bob, 'Leave');
  await expect(bob.getByRole('heading', { name: 'You left friday' })).toBeVisible();
  await expect(messages(alice).getByText('User bob left the room')).toBeVisible();
  await bob.getByRole('button', { name: 'Back to start' }).click();
  await expect(bob.getByText('hello both')).toHaveCount(0);
});

test('a wrong password, an unknown user and an unknown room each say what went wrong', async ({
  browser,
  server,
}) => {
  const owner = await openClient(browser, server);
  await createRoom(owner, 'checks', 'olga');
  const { joinLine } = await invite(owner, 'pete');
  const [, room, secrets, user] = joinLine.split(' ');
  const roomPass = secrets!.split(':')[0]!;

  const pete = await openClient(browser, server);
  await joinWithInvite(pete, `/join ${room} ${roomPass}:WRONGPASSWORD000 ${user}`);
  await expect(pete.getByRole('alert')).toHaveText(/^Wrong password for “pete” in room “checks”\./);
  await screenshot(pete, 'wrong-password');
  await joinWithInvite(pete, `/join ${room} ${roomPass}:WRONGPASSWORD000 nobody`);
  await expect(pete.getByRole('alert')).toHaveText(
    'There is no user “nobody” in room “checks”. Ask the room for a new invite.',
  );
  await joinWithInvite(pete, `/join nosuchroom ${roomPass}:WRONGPASSWORD000 pete`);
  await expect(pete.getByRole('alert')).toHaveText(
    'There is no room “nosuchroom” on this server (it may have been closed).',
  );
  await joinWithInvite(pete, 'not an invite at all');
  await expect(pete.getByRole('alert')).not.toBeEmpty();
  // A browser page can only reach the server that served it.
  const elsewhere = encodeInvite({
    server: 'https://192.0.2.7:8090',
    room: 'checks',
    roomPass,
    user: 'pete',
    userPass: 'X',
  });
  await joinWithInvite(pete, elsewhere);
  await expect(pete.getByRole('alert')).toContainText('This page can only talk to its own server');
  await joinWithInvite(pete, joinLine);
  await expect(pete.getByRole('heading', { name: 'checks', level: 1 })).toBeVisible();
});

test('shows reconnecting while the server cannot be reached, and recovers', async ({
  browser,
  server,
}) => {
  const page = await openClient(browser, server);
  await createRoom(page, 'flaky', 'rita');
  await page.route('**/*', (route) =>
    route.request().postData()?.includes('"pollMsg"')
      ? route.abort('connectionrefused')
      : route.continue(),
  );
  // Wakes the held long poll, so the next one meets the outage.
  await send(page, 'before the outage');
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
  await screenshot(page, 'reconnecting');
  await page.unroute('**/*');
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeHidden({
    timeout: 15_000,
  });
  await send(page, 'after the outage');
  await expect(messages(page).getByText('after the outage')).toBeVisible();
});
