import { decodeInvite, encodeInvite } from '../src-shared/invite';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  joinWithInvite,
  messages,
  openClient,
  screenshot,
  send,
  test,
} from './fixtures';
import { StockClient } from './stockClient';

test('the owner compares words with each newcomer, then admits or refuses them', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await expect(alice.getByLabel('Ask me before anyone joins')).toBeChecked();
  await createRoom(alice, 'lobby', 'alice', { askFirst: true });
  const bobInvite = await invite(alice, 'bob');
  const carolInvite = await invite(alice, 'carol');
  const kimInvite = await invite(alice, 'kim');

  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  await expect(bob.getByRole('heading', { name: 'Waiting to join lobby' })).toBeVisible();
  const bobWords = bob.getByTestId('lobby-words');
  await expect(bobWords).toHaveText(/^\S+ \S+ \S+ \S+$/);
  const words = (await bobWords.textContent())!;
  await expect(messages(alice).getByText('User bob is waiting to join')).toBeVisible();
  const prompt = alice.locator('[data-waiting="bob"]');
  // The owner's prompt shows the very words of bob's screen.
  await expect(prompt).toContainText(words);
  await send(alice, 'before bob was let in');

  await alice.setViewportSize({ width: 1280, height: 800 });
  await bob.setViewportSize({ width: 1280, height: 800 });
  await screenshot(alice, 'admission-prompt-1280');
  await screenshot(bob, 'admission-lobby-1280');
  await expectAccessible(bob, { what: 'the lobby' });
  await expectAccessible(alice, { what: 'the admission prompt' });
  await bob.setViewportSize({ width: 390, height: 844 });
  await screenshot(bob, 'admission-lobby-390');
  await alice.setViewportSize({ width: 390, height: 844 });
  await alice.getByRole('button', { name: /People/ }).click();
  await screenshot(alice, 'admission-prompt-390');
  await expectAccessible(alice, { what: 'the admission prompt on a phone' });

  await alice.getByRole('button', { name: 'Admit bob' }).click();
  await expect(bob.getByRole('heading', { name: 'lobby', level: 1 })).toBeVisible();
  await expect(messages(bob).getByText('User bob joined the room')).toBeVisible();
  await alice.keyboard.press('Escape');
  await send(alice, 'after bob was let in');
  await expect(messages(bob).getByText('after bob was let in')).toBeVisible();
  await expect(messages(bob).getByText('before bob was let in')).toHaveCount(0);
  await send(bob, 'hello from bob');
  await expect(messages(alice).getByText('hello from bob')).toBeVisible();

  // carol's invite was altered on its way (into the older form, with another passphrase): her
  // words are not the owner's, so she is turned away, told so, and gone from the list.
  const carol = await openClient(browser, server);
  const { from: _from, fromKey: _fromKey, ...carolRest } = decodeInvite(carolInvite.code);
  await joinWithInvite(carol, encodeInvite({ ...carolRest, roomPass: 'NOTTHEROOMPASSPH' }));
  await expect(carol.getByTestId('lobby-words')).toHaveText(/^\S+ \S+ \S+ \S+$/);
  await alice.getByRole('button', { name: /People/ }).click();
  await expect(alice.locator('[data-waiting="carol"] strong')).toHaveText(/^\S+ \S+ \S+ \S+$/);
  await expect(alice.locator('[data-waiting="carol"] strong')).not.toHaveText(
    (await carol.getByTestId('lobby-words').textContent())!,
  );
  await alice.getByRole('button', { name: 'Refuse carol' }).click();
  await expect(carol.getByText('The room owner did not let you in')).toBeVisible();
  await expect(alice.locator('[data-waiting="carol"]')).toHaveCount(0);

  // The terminal client waits without errors; the owner is told there are no words to compare.
  const kim = StockClient.fromJoinLine(server.url, kimInvite.joinLine);
  await kim.join();
  await expect(alice.locator('[data-waiting="kim"]')).toContainText(
    'kim uses the terminal client: no words to compare; admit only if you expect them now.',
  );
  expect(await kim.poll()).toEqual([]);
  await alice.getByRole('button', { name: 'Admit kim' }).click();
  await send(alice, 'welcome kim');
  await expect
    .poll(async () => (await kim.poll()).map((m) => m.plain.text), { timeout: 10_000 })
    .toContain('welcome kim');
});

test('the owner turns asking off and on; SYSTEM tells the room', async ({ browser, server }) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'toggle', 'alice', { askFirst: true });
  const toggle = alice.getByLabel('Ask me before anyone joins');
  await expect(toggle).toBeChecked();
  // The switch follows the server's answer, so it changes a moment after the click.
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await expect(messages(alice).getByText('Newcomers now join the room at once')).toBeVisible();
  const bobInvite = await invite(alice, 'bob');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  await expect(bob.getByRole('heading', { name: 'toggle', level: 1 })).toBeVisible();
  await toggle.click();
  await expect(toggle).toBeChecked();
  await expect(messages(bob).getByText(/now admits each newcomer/)).toBeVisible();
});
