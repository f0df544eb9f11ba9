import type { Page } from '@playwright/test';
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
  send,
  test,
} from './fixtures';
import { StockClient } from './stockClient';

const facts = (page: Page) => page.getByTestId('room-facts');
const box = (page: Page) => page.getByLabel('Message', { exact: true });

/** Photographs the page at both sizes, light and dark, and checks it with axe. */
async function shots(page: Page, name: string, what: string) {
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await screenshot(page, `${name}-${viewport.width}x${viewport.height}-${colorScheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await expectAccessible(page, { what });
}

test('private DMs between browser members; a third member cannot read one; a DM to the terminal client warns first', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'dms', 'alice');
  const bobInvite = await invite(alice, 'bob');
  const carolInvite = await invite(alice, 'carol');
  const kimInvite = await invite(alice, 'kim');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  const carol = await openClient(browser, server);
  await joinWithInvite(carol, carolInvite.code);
  await expect(facts(alice)).toHaveText(
    '3 members joined from a browser: they trust the page the host serves',
  );

  // Alice's DM to Bob goes sealed to their keys: its ciphertext is captured on the way out.
  const sent = alice.waitForRequest(
    (r) => r.method() === 'POST' && r.postData()?.includes('sendDirectMsg') === true,
  );
  await send(alice, '/msg bob just between us');
  const body = JSON.parse((await sent).postData()!) as { payload: string | { msg: string } };
  const payload = (typeof body.payload === 'string' ? JSON.parse(body.payload) : body.payload) as {
    msg: string;
  };
  const ciphertext = payload.msg;
  expect(ciphertext.startsWith('TENETQ')).toBe(true);
  const ownCopy = messages(alice).locator('[data-private="true"]', { hasText: 'just between us' });
  await expect(ownCopy).toContainText('private');
  const received = messages(bob).locator('[data-private="true"]', { hasText: 'just between us' });
  await expect(received).toContainText('private');
  await send(bob, '/msg alice and back');
  await expect(
    messages(alice).locator('[data-private="true"]', { hasText: 'and back' }),
  ).toBeVisible();
  await shots(bob, 'private-dm', 'a private DM received');

  // Carol holds the room passphrase; her poll is given Alice's ciphertext in place of a message.
  let armed = false;
  await carol.route('**/*', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    const answer = (await response.json()) as {
      status: string;
      messages?: [number, string, number, string, string][];
    };
    for (const row of answer.messages ?? []) {
      if (row[3] !== 'alice' || !armed) continue;
      row[1] = ciphertext;
      row[4] = 'carol';
    }
    await route.fulfill({ response, json: answer });
  });
  // The poll already waiting when the route was set is answered unseen: let one message through it.
  await send(alice, 'before the swap');
  await expect(messages(carol).getByText('before the swap')).toBeVisible();
  armed = true;
  await send(alice, 'a decoy for carol');
  await expect(messages(carol).getByText(/Could not decrypt a message from alice/)).toBeVisible();
  await expect(messages(carol).getByText('just between us')).toHaveCount(0);
  await carol.unrouteAll({ behavior: 'ignoreErrors' });

  // The terminal client joins: the header names it; a DM to kim warns, then goes with the room key.
  const kim = StockClient.fromJoinLine(server.url, kimInvite.joinLine);
  await kim.join();
  await expect(facts(alice)).toContainText(
    '1 member uses the terminal client: it does not check the server’s certificate, keeps text until it exits, and reads only room-key direct messages',
  );
  await box(alice).fill('/msg kim hello kim');
  await box(alice).press('Enter');
  const caution = alice.locator('#composer-caution');
  await expect(caution).toHaveText(
    /^kim uses the terminal client: this direct message can be read by anyone who holds the room key/,
  );
  await expect(box(alice)).toHaveValue('/msg kim hello kim');
  await shots(alice, 'dm-room-key-warning', 'the warning before a room-key DM');
  await box(alice).press('Enter');
  await expect(caution).toHaveCount(0);
  await expect(
    messages(alice).locator('[data-dm="true"]', { hasText: 'hello kim' }),
  ).not.toHaveAttribute('data-private');
  await expect
    .poll(async () => (await kim.poll()).filter((r) => r.to === 'kim').map((r) => r.plain.text), {
      timeout: 10_000,
    })
    .toContain('hello kim');
  await shots(alice, 'room-facts-terminal', 'the header naming the terminal client');

  // kim leaves: the terminal client's line goes.
  await kim.post('leaveRoom', { roomName: kim.room, user: kim.user, sesskey: kim.sesskey });
  await expect(facts(alice)).not.toContainText('terminal client');
  await expect(facts(alice)).toContainText('joined from a browser');
  kim.dispose();
});

test('a DM to a member whose key changed shows the new key before it goes', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'rekey', 'alice');
  const bobInvite = await invite(alice, 'bob');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, bobInvite.code);
  const bobRow = alice.locator('#members [data-user="bob"]');
  await expect(bobRow.locator('.key-words')).toHaveText(/^key \S+ \S+$/);

  await roomMenu(bob, 'Leave…');
  await bob.getByRole('alertdialog').getByRole('button', { name: 'Leave' }).click();
  await expect(bobRow).toHaveCount(0);
  await bob.getByRole('button', { name: 'Back to start' }).click();
  await joinWithInvite(bob, bobInvite.code);
  await expect(bobRow.getByText('new key')).toBeVisible();
  const words = ((await bobRow.locator('.key-words').textContent()) ?? '').replace(/^key /, '');

  await box(alice).fill('/msg bob is it you?');
  await box(alice).press('Enter');
  await expect(alice.locator('#composer-caution')).toContainText(
    `bob’s key changed since you last saw it (now “${words}”)`,
  );
  await expect(messages(bob).getByText('is it you?')).toHaveCount(0);
  await box(alice).press('Enter');
  await expect(
    messages(bob).locator('[data-private="true"]', { hasText: 'is it you?' }),
  ).toBeVisible();
  await expect(bobRow.getByText('new key')).toHaveCount(0);
});
