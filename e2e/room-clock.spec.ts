import type { Browser, Page } from '@playwright/test';
import type { RunningServer } from '../src-main/server/index';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  joinWithInvite,
  messages,
  screenshot,
  send,
  test,
} from './fixtures';
import { StockClient } from './stockClient';

const LIFETIME_S = 30;

/** Records every Notification the page makes and whether the page closed it. */
function spyOnNotifications() {
  const Real = window.Notification;
  const made: { body: string; closed: boolean }[] = [];
  class Spy extends Real {
    private readonly record: { body: string; closed: boolean };
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      this.record = { body: options?.body ?? '', closed: false };
      made.push(this.record);
    }
    override close() {
      this.record.closed = true;
      super.close();
    }
  }
  (window as unknown as { notes: typeof made }).notes = made;
  window.Notification = Spy;
}

async function openAt(
  browser: Browser,
  server: RunningServer,
  viewport: { width: number; height: number },
  scheme: 'light' | 'dark',
  permissions: string[] = [],
): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme: scheme, permissions });
  const page = await context.newPage();
  await page.addInitScript(spyOnNotifications);
  await page.goto(server.webUrl ?? `${server.url}/`);
  await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
  return page;
}

/** Resolves with the wall time at which `text` is no longer in the page's message list. */
function goneAt(page: Page, text: string): Promise<number> {
  return page
    .waitForFunction(
      (t) => !document.querySelector('[role="log"]')?.textContent?.includes(t),
      text,
      { polling: 50, timeout: (LIFETIME_S + 10) * 1000 },
    )
    .then(() => Date.now());
}

for (const [name, viewport, scheme] of [
  ['phone', { width: 390, height: 844 }, 'light'],
  ['desktop', { width: 1280, height: 800 }, 'dark'],
] as const) {
  test(`the room clock on a ${name}: set, announced, shown, enforced`, async ({
    browser,
    server,
  }) => {
    test.setTimeout(120_000);
    const room = `clock-${name}`;
    const alice = await openAt(browser, server, viewport, scheme);
    // The lifetime picker on Start a room, defaulting to the server's.
    const picker = alice.getByLabel('Messages vanish after');
    await expect(picker).toHaveValue('');
    await picker.scrollIntoViewIfNeeded();
    await screenshot(alice, `clock-start-picker-${name}-${scheme}`);
    await createRoom(alice, room, 'alice');
    await expect(alice.getByTestId('room-clock')).toContainText('Messages vanish after 10 minutes');

    const bob = await openAt(browser, server, viewport, scheme, ['notifications']);
    await joinWithInvite(bob, (await invite(alice, 'bob')).code);
    await expect(messages(alice).getByText('User bob joined the room')).toBeVisible();
    const stockInvite = await invite(alice, 'sam');
    const sam = StockClient.fromJoinLine(server.url, stockInvite.joinLine);
    await sam.join();

    // The owner sets 30 s from the header; everyone is told.
    await alice.getByRole('button', { name: /Messages vanish after 10 minutes/ }).click();
    await expect(alice.getByRole('group', { name: 'How long messages last' })).toBeVisible();
    await expectAccessible(alice, { include: '#lifetime-menu', what: 'the lifetime menu' });
    await screenshot(alice, `clock-lifetime-menu-${name}-${scheme}`);
    await alice.getByRole('button', { name: '30 seconds' }).click();
    const notice = 'User alice set messages to vanish after 30 seconds';
    await expect(messages(bob).getByText(notice)).toBeVisible();
    await expect(bob.getByTestId('room-clock')).toHaveText('Messages vanish after 30 seconds');
    await expect(alice.getByTestId('room-clock')).toContainText('Messages vanish after 30 seconds');
    const stockSaw = await sam.poll();
    // The stock client sees the member's name quoted, as in every SYSTEM notice.
    expect(stockSaw.map((r) => r.plain.text)).toContain(
      'User "alice" set messages to vanish after 30 seconds',
    );

    // Bob's window goes to the background and turns notifications on.
    await bob.getByRole('button', { name: 'Notifications on' }).click();
    await expectAccessible(bob, { include: '#notify-panel', what: 'the bell menu' });
    await bob.keyboard.press('Escape');
    await bob.evaluate(() => {
      document.hasFocus = () => false;
      window.dispatchEvent(new Event('blur'));
    });

    const text = `vanishing line ${name}`;
    await send(alice, text);
    await expect(messages(bob).getByText(text)).toBeVisible();
    await expect
      .poll(() =>
        bob.evaluate(() => (window as unknown as { notes: { body: string }[] }).notes.length),
      )
      .toBe(1);
    const shown = await bob.evaluate(
      () => (window as unknown as { notes: { body: string }[] }).notes[0]!.body,
    );
    expect(shown).toBe('New message in your room');
    const rows = await sam.poll();
    const row = rows.find((r) => r.plain.text === text);
    expect(row).toBeDefined();
    const stamp = await sam.post('pollMsg', {
      roomName: sam.room,
      user: 'sam',
      sesskey: sam.sesskey,
      mylast: 0,
    });
    const ts = (
      stamp.json as { messages: [number, string, number, string, string][] }
    ).messages.find((r) => r[3] === 'alice' && sam.decrypt(r[1]).includes(text))![2];
    const expiresAt = ts * 1000 + LIFETIME_S * 1000;

    // Time left on hover, then screenshots of the header and the hint.
    const line = messages(alice).locator('li', { hasText: text });
    await line.hover();
    await expect(line.getByTestId('time-left')).toHaveText(/^\d+ s left$/);
    await screenshot(alice, `clock-time-left-${name}-${scheme}`);
    await expectAccessible(alice, { include: '.room-header', what: 'the room header' });
    await expectAccessible(alice, {
      include: '[role="log"]',
      what: 'the messages with their time left',
    });

    const [aliceGone, bobGone] = await Promise.all([goneAt(alice, text), goneAt(bob, text)]);
    for (const [who, at] of [
      ['alice', aliceGone],
      ['bob', bobGone],
    ] as const) {
      const late = at - expiresAt;
      console.log(
        `room clock (${name}): ${who}'s screen dropped the message ${late} ms after its lifetime`,
      );
      expect(late).toBeLessThan(1_000);
      expect(late).toBeGreaterThan(-1_000);
    }
    await expect
      .poll(() =>
        bob.evaluate(
          () => (window as unknown as { notes: { closed: boolean }[] }).notes[0]!.closed,
        ),
      )
      .toBe(true);

    // The stock client polling from 0 after the lifetime gets nothing older.
    sam.last = 0;
    const after = await sam.post('pollMsg', {
      roomName: sam.room,
      user: 'sam',
      sesskey: sam.sesskey,
      mylast: 0,
    });
    const left =
      (after.json as { messages?: [number, string, number, string, string][] }).messages ?? [];
    const now = Date.now() / 1000;
    for (const r of left) expect(now - r[2]).toBeLessThan(LIFETIME_S);
    expect(left.some((r) => r[3] !== 'SYSTEM' && sam.decrypt(r[1]).includes(text))).toBe(false);
    sam.dispose();
  });
}
