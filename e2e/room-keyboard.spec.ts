/// <reference lib="dom" />
import type { Page } from '@playwright/test';
import {
  createRoom,
  expect,
  invite,
  joinWithInvite,
  messages,
  openClient,
  send,
  test,
} from './fixtures';

/** What has focus, as "tag: accessible text", and whether it draws a visible focus ring. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: 'body', ring: false };
    const style = getComputedStyle(el);
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    return { name: `${el.tagName.toLowerCase()}: ${name}`, ring };
  });
}

test('the room works by keyboard alone, with a visible focus on every control', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await alice.setViewportSize({ width: 1280, height: 800 });
  await createRoom(alice, 'keys', 'alice');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, (await invite(alice, 'bob')).code);
  await send(bob, 'a link https://example.org/x to tab through');
  await expect(messages(alice).getByText('https://example.org/x')).toBeVisible();

  // Typing and sending from the box, which has focus in the room.
  const box = alice.getByLabel('Message', { exact: true });
  await box.focus();
  await alice.keyboard.type('first line');
  await alice.keyboard.press('Shift+Enter');
  await alice.keyboard.type('second line');
  await alice.keyboard.press('Enter');
  await expect(messages(alice).locator('bdi.text', { hasText: 'second line' })).toHaveText(
    'first line\nsecond line',
  );
  await alice.keyboard.type('/help');
  await alice.keyboard.press('Enter');
  await expect(messages(alice).getByText(/Shift\+Enter starts a new line/)).toBeVisible();
  await expect(messages(alice).getByText(/Escape closes a dialog or menu/)).toBeVisible();

  // Tab through every control of the room: each shows its focus.
  const seen: string[] = [];
  // Every message's time is focusable too (its time left, #22), so a room holds many stops.
  for (let i = 0; i < 120; i++) {
    await alice.keyboard.press('Tab');
    const now = await focused(alice);
    // Past the last control focus leaves the page once, then starts again from the top.
    if (now.name === 'body') continue;
    expect(now.ring, `focus ring on ${now.name}`).toBe(true);
    seen.push(now.name);
    // Focus started in the message box: back there, every control was visited once.
    if (now.name === 'textarea: Message') break;
  }
  for (const control of [
    'button: Invite…',
    'button: More ▾',
    'a: https://example.org/x',
    'textarea: Message',
  ])
    expect(seen).toContain(control);

  // The More menu by keyboard: Enter opens it on its first item; Escape closes it back to its button.
  await alice.getByRole('button', { name: 'More' }).focus();
  await alice.keyboard.press('Enter');
  await expect(alice.getByRole('button', { name: 'Leave…' })).toBeFocused();
  await alice.keyboard.press('Escape');
  await expect(alice.getByRole('button', { name: 'Leave…' })).toBeHidden();
  await expect(alice.getByRole('button', { name: 'More' })).toBeFocused();
});

test('dialogs take focus, keep it, close with Escape and give it back; the draft survives them', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await alice.setViewportSize({ width: 390, height: 844 });
  await createRoom(alice, 'dialogs', 'alice');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, (await invite(alice, 'bob')).code);
  await expect(messages(alice).getByText('User bob joined the room')).toBeVisible();
  const box = alice.getByLabel('Message', { exact: true });
  await box.fill('a draft I am still writing');

  // A confirmation from the More menu.
  const more = alice.getByRole('button', { name: 'More' });
  await more.click();
  await alice.getByRole('button', { name: 'Close room…' }).click();
  const confirm = alice.getByRole('alertdialog');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await alice.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Close room' })).toBeFocused();
  await alice.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await alice.keyboard.press('Shift+Tab');
  await expect(confirm.getByRole('button', { name: 'Close room' })).toBeFocused();
  await alice.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(more).toBeFocused();
  await expect(box).toHaveValue('a draft I am still writing');

  // The people sheet on a phone is a dialog too.
  const people = alice.getByRole('button', { name: /^People/ });
  await people.click();
  const sheet = alice.getByRole('dialog', { name: /In the room/ });
  await expect(sheet.getByRole('button', { name: 'Close' })).toBeFocused();
  for (let i = 0; i < 6; i++) {
    await alice.keyboard.press('Tab');
    expect(await sheet.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await sheet.getByRole('button', { name: 'Kick bob' }).click();
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await alice.keyboard.press('Escape');
  await expect(sheet.getByRole('button', { name: 'Kick bob' })).toBeFocused();
  await alice.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
  await expect(people).toBeFocused();
  await expect(box).toHaveValue('a draft I am still writing');

  // Back in the box with the draft, and it sends.
  await box.press('Enter');
  await expect(messages(bob).getByText('a draft I am still writing')).toBeVisible();

  // Kicking from the sheet by keyboard: the row goes, focus stays in the sheet.
  await people.click();
  await sheet.getByRole('button', { name: 'Kick bob' }).focus();
  await alice.keyboard.press('Enter');
  await alice.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Kick' })).toBeFocused();
  await alice.keyboard.press('Enter');
  await expect(sheet.getByRole('button', { name: 'Kick bob' })).toHaveCount(0);
  await expect(sheet.getByRole('button', { name: 'Close' })).toBeFocused();
});

test('after the window was in the background, a divider marks where the reader left off', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'away', 'alice');
  const bob = await openClient(browser, server);
  await joinWithInvite(bob, (await invite(alice, 'bob')).code);
  await send(bob, 'read before leaving');
  await expect(messages(alice).getByText('read before leaving')).toBeVisible();
  await expect(alice.locator('[data-kind="unread"]')).toHaveCount(0);

  const setHidden = (hidden: boolean) =>
    alice.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', {
        value: value ? 'hidden' : 'visible',
        configurable: true,
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  await send(bob, 'written while away');
  await send(bob, 'and another');
  await expect(messages(alice).getByText('and another')).toBeVisible();
  await setHidden(false);

  // The divider sits right before the first message that arrived while away.
  const items = await messages(alice)
    .locator('li')
    .evaluateAll((lis) =>
      lis.map((li) => (li.getAttribute('data-kind') === 'unread' ? 'DIVIDER' : li.textContent)),
    );
  const at = items.indexOf('DIVIDER');
  expect(at).toBeGreaterThan(0);
  expect(items[at - 1]).toContain('read before leaving');
  expect(items[at + 1]).toContain('written while away');
  // Screen readers hear a summary, not each line.
  await expect(alice.getByTestId('announcer')).toContainText(
    /new messages|written while away|and another/,
  );
});
