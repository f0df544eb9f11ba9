import type { Page } from '@playwright/test';
import { decodeInvite, encodeInvite } from '../src-shared/invite';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  joinWithInvite,
  messages,
  openClient,
  roomMenu,
  screenshot,
  test,
} from './fixtures';
import { StockClient } from './stockClient';

const code = (page: Page) => page.getByTestId('safety-code');
// The member list is a side column, or a dialog sheet on a narrow screen: found by its id.
const memberRow = (page: Page, user: string) => page.locator(`#members [data-user="${user}"]`);
const keyWords = (page: Page, user: string) => memberRow(page, user).locator('.key-words');

/** Both pages show the same code, once both have listed `members` with their keys. */
async function sameCode(a: Page, b: Page): Promise<string> {
  await expect
    .poll(async () => (await code(a).textContent()) === (await code(b).textContent()))
    .toBe(true);
  return (await code(a).textContent()) ?? '';
}

test('members see the same safety code and fingerprints; a tampered invite sees another code', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'keys', 'alice');
  const bobInvite = await invite(alice, 'bob');
  const kimInvite = await invite(alice, 'kim');
  const carolInvite = await invite(alice, 'carol');
  const daveInvite = await invite(alice, 'dave');

  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  await expect(keyWords(alice, 'bob')).toHaveText(/^key \S+ \S+$/);
  await expect(keyWords(bob, 'alice')).toHaveText(/^key \S+ \S+$/);
  // Each name's fingerprint is the same on both screens, and the code too.
  for (const user of ['alice', 'bob'])
    await expect(keyWords(bob, user)).toHaveText((await keyWords(alice, user).textContent())!);
  const twoOfUs = await sameCode(alice, bob);
  expect(twoOfUs.split(' ')).toHaveLength(6);

  // The terminal client publishes no key: shown as such, and its join changes the code.
  const kim = StockClient.fromJoinLine(server.url, kimInvite.joinLine);
  await kim.join();
  await expect(keyWords(alice, 'kim')).toHaveText('no key (terminal client)');
  await expect(messages(alice).getByText(/^The safety code changed: kim joined/)).toBeVisible();
  await expect(messages(bob).getByText(/^The safety code changed: kim joined/)).toBeVisible();
  expect(await sameCode(alice, bob)).not.toBe(twoOfUs);
  await expect(kim.poll()).resolves.toBeDefined();

  await alice.setViewportSize({ width: 1280, height: 800 });
  await screenshot(alice, 'safety-code-1280');
  await expectAccessible(alice, { what: 'the member list with keys and the safety code' });

  // carol holds another passphrase than the room's: her words differ from everyone else's.
  // Into the older form, which carries the passphrase: here another one.
  const { from: _from, fromKey: _fromKey, ...tampered } = decodeInvite(carolInvite.code);
  const carol = await openClient(browser, server);
  await joinWithInvite(carol, encodeInvite({ ...tampered, roomPass: 'NOTTHEROOMPASSPH' }));
  await expect(keyWords(alice, 'carol')).toHaveText(/^key \S+ \S+$/);
  await expect(keyWords(carol, 'carol')).toHaveText(
    (await keyWords(alice, 'carol').textContent())!,
  );
  const withCarol = await sameCode(alice, bob);
  await expect(code(carol)).not.toHaveText(withCarol);

  // dave's invite names another certificate: another code again.
  const dave = await openClient(browser, server);
  const otherCertificate = Array.from({ length: 32 }, () => 'EE').join(':');
  await joinWithInvite(
    dave,
    encodeInvite({ ...decodeInvite(daveInvite.code), fingerprint: otherCertificate }),
  );
  await expect(keyWords(dave, 'dave')).toHaveText(/^key \S+ \S+$/);
  await expect(keyWords(alice, 'dave')).toHaveText((await keyWords(dave, 'dave').textContent())!);
  const withDave = await sameCode(alice, bob);
  await expect(code(dave)).not.toHaveText(withDave);
});

test('a member who comes back with a new key is marked until accepted', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'rejoin', 'alice');
  const bobInvite = await invite(alice, 'bob');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  await expect(keyWords(alice, 'bob')).toHaveText(/^key \S+ \S+$/);
  const before = await keyWords(alice, 'bob').textContent();

  await roomMenu(bob, 'Leave…');
  await bob.getByRole('alertdialog').getByRole('button', { name: 'Leave' }).click();
  await expect(memberRow(alice, 'bob')).toHaveCount(0);
  await bob.getByRole('button', { name: 'Back to start' }).click();
  await joinWithInvite(bob, bobInvite.code);
  await expect(messages(alice).getByText(/^The safety code changed: bob joined/)).toBeVisible();
  await expect(memberRow(alice, 'bob').getByText('new key')).toBeVisible();
  await expect(keyWords(alice, 'bob')).not.toHaveText(before!);
  await sameCode(alice, bob);

  await alice.setViewportSize({ width: 390, height: 844 });
  await alice.getByRole('button', { name: /People/ }).click();
  await expect(memberRow(alice, 'bob').getByText('new key')).toBeVisible();
  await screenshot(alice, 'member-new-key-390');
  await expectAccessible(alice, { what: 'the people sheet with a changed key' });
  await alice.getByRole('button', { name: 'Accept bob’s new key' }).click();
  await expect(memberRow(alice, 'bob').getByText('new key')).toHaveCount(0);
});
