import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { startServer, type RunningServer } from '../src-main/server/index';

export const SCREENSHOTS = 'test-results/screenshots';

/** One room server per worker, serving the built browser client from dist/renderer. */
export const test = base.extend<object, { server: RunningServer }>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startServer({
        host: '127.0.0.1',
        port: 0,
        web: { dir: 'dist/renderer' },
        log: () => {},
        // Every spec of a worker creates its rooms from 127.0.0.1 on this one server.
        createThrottle: { perAddress: 1000 },
        // Specs post bursts from stand-in members to test the page; the server's per-member send
        // limit has its own tests (send-throttle.test.ts).
        sendThrottle: { burst: 1000 },
        // Specs try wrong and used invites on purpose, all from 127.0.0.1; the lockout has its own
        // tests (login-throttle.test.ts, guessing.test.ts).
        loginThrottle: { perAddress: 1000 },
      });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png` });
}

/** A fresh browser profile on the server's page: one per person. */
export async function openClient(browser: Browser, server: RunningServer): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.webUrl ?? `${server.url}/`);
  await expect(page.getByRole('heading', { name: 'LocalChat' })).toBeVisible();
  return page;
}

/** Starts a room from the page; without asking before each join unless `askFirst`. */
export async function createRoom(
  page: Page,
  room: string,
  user: string,
  { askFirst = false }: { askFirst?: boolean } = {},
): Promise<void> {
  const form = page.getByRole('form', { name: 'Start a room' });
  await form.getByLabel('Room name').fill(room);
  await form.getByLabel('Your name').fill(user);
  await form.getByLabel('Ask me before anyone joins').setChecked(askFirst);
  await form.getByRole('button', { name: 'Start a room' }).click();
  await expect(page.getByRole('heading', { name: room, level: 1 })).toBeVisible();
  await expect(messages(page).getByText(`User ${user} joined the room`)).toBeVisible();
}

export interface InviteTexts {
  /** The invite code inside the link. */
  code: string;
  /** The one link of the message: the page's https link, or localchat:// without a page. */
  link: string;
  /** The message to send, as shown. */
  message: string;
  joinLine: string;
  server: string;
}

/** Opens the invite panel, invites `user`, returns what the panel shows, and closes it. */
export async function invite(page: Page, user: string, shot?: string): Promise<InviteTexts> {
  await page.getByRole('button', { name: 'Invite…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite someone' });
  await dialog.getByLabel('Their name in the room').fill(user);
  await dialog.getByRole('button', { name: 'Create invite' }).click();
  const panel = page.getByRole('dialog', { name: `Invite for ${user}` });
  const messageField = panel.getByLabel('Message to send', { exact: true });
  await expect(messageField).not.toHaveValue('');
  if (shot) await screenshot(page, shot);
  const message = await messageField.inputValue();
  const link = /(?:https|localchat):\/\/\S+/.exec(message)?.[0] ?? '';
  await panel.getByText('For the LocalChat terminal client').click();
  const texts = {
    code: /LC1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}/.exec(link)?.[0] ?? '',
    link,
    message,
    joinLine: await panel.getByLabel('Command to type', { exact: true }).inputValue(),
    server: await panel.getByLabel('Server address', { exact: true }).inputValue(),
  };
  await panel.getByRole('button', { name: 'Done' }).click();
  await expect(panel).toBeHidden();
  return texts;
}

/** Pastes any form of invite into the start screen's one box and presses Join. */
export async function joinWithInvite(page: Page, text: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Join with an invite' });
  await form.getByLabel('Invite', { exact: true }).fill(text);
  await form.getByRole('button', { name: 'Join', exact: true }).click();
}

export function messages(page: Page) {
  return page.getByRole('log', { name: 'Messages' });
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/** Picks an item of the room header's "More" menu (Leave…, Close room…). */
export async function roomMenu(page: Page, item: 'Leave…' | 'Close room…'): Promise<void> {
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('button', { name: item }).click();
}

/** Confirms the open confirmation dialog with its action button. */
export async function confirmDialog(page: Page, action: string): Promise<void> {
  const dialog = page.getByRole('alertdialog');
  await dialog.getByRole('button', { name: action }).click();
  await expect(dialog).toBeHidden();
}

/**
 * Zero axe violations of impact serious or critical on the page, or only inside `include` (a CSS
 * selector); `what` names the view in the failure message.
 */
export async function expectAccessible(
  page: Page,
  options: { include?: string; what?: string } = {},
): Promise<void> {
  const builder = new AxeBuilder({ page });
  if (options.include) builder.include(options.include);
  const { violations } = await builder.analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${options.what ?? options.include ?? 'the page'}`).toEqual([]);
}
