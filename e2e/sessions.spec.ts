import { request as apiRequest, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  joinWithInvite,
  messages,
  openClient,
  SCREENSHOTS,
  send,
  test,
} from './fixtures';
import { ServerProcess } from './serverProcess';
import { StockClient } from './stockClient';

/** The state on screen at a phone and a desktop size, light and dark. */
async function shots(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const [label, viewport] of [
    ['390', { width: 390, height: 844 }],
    ['1280', { width: 1280, height: 800 }],
  ] as const) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENSHOTS}/sessions-${name}-${label}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (size) await page.setViewportSize(size);
}

/** A raw API caller, as a second device or the stock client would be: no Origin header. */
async function apiCaller(url: string) {
  const context = await apiRequest.newContext({ ignoreHTTPSErrors: true });
  return {
    async call(action: string, payload: Record<string, unknown>) {
      const res = await context.post(`${url}/`, { data: { action, payload } });
      return { status: res.status(), body: res.status() === 200 ? await res.json() : null };
    },
    dispose: () => context.dispose(),
  };
}

/** Splits a stock /join line: /join ROOM ROOMPASS:USERPASS USER. */
function joinParts(line: string) {
  const [, room, secrets, user] = line.split(' ') as [string, string, string, string];
  const [roomPass, userPass] = secrets.split(':') as [string, string];
  return { room, roomPass, userPass, user };
}

test('a wrong room passphrase is noticed once two members’ messages fail, and fixed without leaving', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'typos', 'alice');
  const texts = await invite(alice, 'bob');
  const parts = joinParts(texts.joinLine);
  // A mistyped passphrase in the stock /join line: same length, one character off.
  const typo = (parts.roomPass[0] === 'A' ? 'B' : 'A') + parts.roomPass.slice(1);
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, `/join ${parts.room} ${typo}:${parts.userPass} ${parts.user}`);
  await expect(messages(bob).getByText('User bob joined the room')).toBeVisible();
  const prompt = bob.getByRole('region', { name: 'The room passphrase looks wrong' });
  await expect(prompt).toHaveCount(0);

  // Carol joins with the stock client before bob reads anything from the others.
  const carol = StockClient.fromJoinLine(texts.server, (await invite(alice, 'carol')).joinLine);
  await carol.join();
  await send(alice, 'hello bob');
  await expect(messages(bob).getByText('Could not decrypt a message from alice')).toBeVisible();
  // One member's messages that do not open prove nothing: that member may send garbage on purpose.
  await expect(prompt).toHaveCount(0);
  await carol.say('hello from the terminal');
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText('never by a message in this room');
  await expect(messages(bob).getByText('hello bob')).toHaveCount(0);
  await expectAccessible(bob, { include: '.passphrase-prompt' });
  await shots(bob, 'passphrase-prompt');

  await prompt.getByRole('textbox', { name: 'Room passphrase' }).fill('NOT THE PASSPHRASE');
  await prompt.getByRole('button', { name: 'Try it' }).click();
  await expect(prompt.getByRole('alert')).toHaveText(/does not open the messages either/);
  await prompt.getByRole('textbox', { name: 'Room passphrase' }).fill(parts.roomPass);
  await prompt.getByRole('button', { name: 'Try it' }).click();
  await expect(prompt).toBeHidden();
  await expect(messages(bob).getByText('hello bob')).toBeVisible();
  await expect(messages(bob).getByText('hello from the terminal')).toBeVisible();
  carol.dispose();
  await send(bob, 'now I can read you');
  await expect(messages(alice).getByText('now I can read you')).toBeVisible();

  // Bob's LocalChat page replaced the password alice chose for him: she cannot sign in as him.
  const raw = await apiCaller(server.url);
  const asBob = await raw.call('joinRoom', {
    roomName: 'typos',
    user: 'bob',
    userpass: parts.userPass,
  });
  expect(asBob.status).toBe(403);
  await raw.dispose();
});

test('a frozen server shows Reconnecting within 6 s and recovers; a restart ends the session in words', async ({
  browser,
}) => {
  // Two server start-ups through tsx, a freeze, a recovery and screenshots with axe at two sizes:
  // beside the other worker on 2 cores this outlasts the default minute.
  test.setTimeout(150_000);
  let child = await ServerProcess.start();
  try {
    const context = await browser.newContext();
    const alice = await context.newPage();
    await alice.goto(child.webUrl);
    await createRoom(alice, 'frozen', 'alice');
    await send(alice, 'before the freeze');

    const bar = alice.getByRole('status').filter({ hasText: 'Reconnecting' });
    child.freeze();
    const frozenAt = Date.now();
    await expect(bar).toBeVisible({ timeout: 6_000 });
    console.log(`Reconnecting shown ${Date.now() - frozenAt} ms after SIGSTOP`);
    await expect(bar).toContainText(
      'If the host stopped or restarted the server, the room and its messages are gone',
    );
    await shots(alice, 'reconnecting');
    child.thaw();
    await expect(bar).toBeHidden({ timeout: 15_000 });
    await send(alice, 'after the freeze');
    await expect(messages(alice).getByText('after the freeze')).toBeVisible();
    await expect(messages(alice).getByText('before the freeze')).toBeVisible();

    const port = child.port;
    await child.stop();
    child = await ServerProcess.start(port);
    await expect(alice.getByRole('heading', { name: 'frozen no longer exists' })).toBeVisible({
      timeout: 20_000,
    });
    await expect(
      alice.getByText(/^The server restarted; the room no longer exists\./),
    ).toBeVisible();
    await expectAccessible(alice);
    await shots(alice, 'server-restarted');
    await context.close();
  } finally {
    await child.stop();
  }
});

test('a reload asks first, and the others no longer list the user afterwards', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'reloads', 'alice');
  const code = (await invite(alice, 'bob')).code;
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, code);
  await send(bob, 'hi, reloading soon');
  const list = alice.locator('#members');
  await expect(list.locator('[data-user="bob"]')).toHaveCount(1);

  const asked: string[] = [];
  bob.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });
  await bob.reload();
  expect(asked).toEqual(['beforeunload']);
  await expect(messages(alice).getByText('User bob left the room')).toBeVisible();
  await expect(list.locator('[data-user="bob"]')).toHaveCount(0);
  await expect(bob.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
});

test('a second sign-in with the same name ends the first session with its own notice', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'twice', 'alice');
  const parts = joinParts((await invite(alice, 'bob')).joinLine);
  // Bob first signs in from another device that sets a password of its own...
  const device = await apiCaller(server.url);
  const first = await device.call('joinRoom', {
    roomName: 'twice',
    user: 'bob',
    userpass: parts.userPass,
  });
  expect(first.status).toBe(200);
  const own = 'MYOWNPASSWORD0123';
  const set = await device.call('setPassword', {
    roomName: 'twice',
    user: 'bob',
    sesskey: (first.body as { session: string }).session,
    newpass: own,
  });
  expect(set.status).toBe(200);
  // ...then in this page with it; then the device signs in again and displaces the page.
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, `/join ${parts.room} ${parts.roomPass}:${own} bob`);
  // The device's own join notice is in the page's 10 s join window too.
  await expect(messages(bob).getByText('User bob joined the room').last()).toBeVisible();
  expect(
    (await device.call('joinRoom', { roomName: 'twice', user: 'bob', userpass: own })).status,
  ).toBe(200);
  await expect(bob.getByRole('heading', { name: 'You are no longer in twice' })).toBeVisible();
  await expect(bob.getByText(/^Your name was signed in to this room elsewhere/)).toBeVisible();
  await expectAccessible(bob);
  await shots(bob, 'signed-in-elsewhere');
  await device.dispose();
});

test('a login lockout says how long to wait and counts down', async ({ browser }) => {
  const child = await ServerProcess.start();
  const raw = await apiCaller(child.url);
  try {
    expect(
      (await raw.call('createRoom', { roomName: 'locks', owner: 'olga', pass: 'OWNERPASSWORD012' }))
        .status,
    ).toBe(200);
    const page = await (await browser.newContext()).newPage();
    await page.goto(child.webUrl);
    const alert = page.getByRole('alert');
    // Failed joins from one address until the server locks it out.
    for (let i = 0; i < 10; i++) {
      await joinWithInvite(
        page,
        `/join locks ROOMPASSWORD0000:WRONGPASSWORD${String(i).padStart(3, '0')} olga`,
      );
      await expect(alert).not.toBeEmpty();
      if (/locked/.test((await alert.textContent()) ?? '')) break;
    }
    await expect(alert).toHaveText(/locked them out .*; it asks to wait \d+ s\.$/);
    const timer = page.getByRole('timer');
    await expect(timer).toHaveText(/^You can try again in \d+ s\.$/);
    const first = Number(/(\d+) s/.exec((await timer.textContent()) ?? '')![1]);
    await expect(timer).not.toHaveText(`You can try again in ${first} s.`);
    await expectAccessible(page, { include: '.retry-countdown' });
    await shots(page, 'lockout-countdown');
  } finally {
    await raw.dispose();
    await child.stop();
  }
});

test('notifications are asked for from the bell, with what they are for, never at join', async ({
  browser,
  server,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.webUrl ?? `${server.url}/`);
  await createRoom(page, 'bells', 'alice');
  expect(await page.evaluate(() => Notification.permission)).toBe('default');
  const bell = page.getByRole('button', { name: 'Notifications off' });
  await bell.click();
  const panel = page.getByRole('group', { name: 'Notifications' });
  await expect(panel).toContainText('New message in your room');
  await expectAccessible(page, { include: '#notify-panel' });
  await shots(page, 'notifications-panel');
  await context.grantPermissions(['notifications']);
  await panel.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('button', { name: 'Notifications on' })).toBeVisible();
  await context.close();
});
