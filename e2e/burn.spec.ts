import type { Page } from '@playwright/test';
import { NOTICE_BURNED } from '../src-shared/protocol';
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

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The view at both sizes in both colour schemes, each checked with axe, then back to light desktop. */
async function capture(page: Page, name: string): Promise<void> {
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await screenshot(page, `${name}-${viewport.width}x${viewport.height}-${colorScheme}`);
      await expectAccessible(page, { what: `${name} ${viewport.width} ${colorScheme}` });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(DESKTOP);
}

/**
 * Whether `needle` is anywhere in the page's JavaScript heap after a full garbage collection:
 * the store, React's trees, closures, everything the page can still reach.
 */
async function heapHolds(page: Page, needles: string[]): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => void chunks.push(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  const snapshot = chunks.join('');
  return needles.filter((n) => snapshot.includes(n));
}

const SECRETS = [
  'amy says the plan is at midnight',
  'term whispers the code 4711',
  'said after the clear',
];

test('the owner burns: both pages are wiped and confirm, the terminal member is reported', async ({
  browser,
  server,
}) => {
  // Four views at two sizes in two schemes, each with axe.
  test.setTimeout(240_000);
  const owner = await openClient(browser, server);
  await createRoom(owner, 'ember', 'olive');
  const amy = await openClient(browser, server);
  const bob = await openClient(browser, server);
  const codes = { amy: await invite(owner, 'amy'), bob: await invite(owner, 'bob') };
  const { joinLine, server: serverUrl } = await invite(owner, 'term');
  await joinWithInvite(amy, codes.amy.code);
  await joinWithInvite(bob, codes.bob.code);
  await expect(messages(owner).getByText('User bob joined the room')).toBeVisible();
  const stock = StockClient.fromJoinLine(serverUrl, joinLine);
  try {
    await stock.join();
    await expect(messages(owner).getByText('User term joined the room')).toBeVisible();
    await send(amy, SECRETS[0]!);
    await stock.say(SECRETS[1]!);
    for (const page of [owner, amy, bob])
      for (const secret of SECRETS.slice(0, 2))
        await expect(messages(page).getByText(secret)).toBeVisible();

    // Clear my screen (the key), on bob's page: everything shown so far goes, the draft stays.
    const box = bob.getByLabel('Message', { exact: true });
    await box.fill('a draft bob keeps');
    await bob.keyboard.press('Control+Shift+X');
    await expect(
      messages(bob).getByText('Screen cleared. New messages appear below.'),
    ).toBeVisible();
    for (const secret of SECRETS.slice(0, 2))
      await expect(messages(bob).getByText(secret)).toHaveCount(0);
    // The screen reader's summary of the last message is part of the screen too.
    const shown = await bob.evaluate(() => document.body.textContent ?? '');
    for (const secret of SECRETS.slice(0, 2)) expect(shown).not.toContain(secret);
    await expect(box).toHaveValue('a draft bob keeps');
    await send(owner, SECRETS[2]!);
    await expect(messages(bob).getByText(SECRETS[2]!)).toBeVisible();
    await capture(bob, 'burn-cleared-room');

    // The menu item, with "also clear my draft", on amy's page.
    await amy.getByLabel('Message', { exact: true }).fill('a draft amy drops');
    await amy.getByRole('button', { name: 'More' }).click();
    await amy.getByRole('button', { name: 'Clear my screen…' }).click();
    await amy.getByRole('alertdialog').getByLabel('Also clear my draft').check();
    await amy.getByRole('alertdialog').getByRole('button', { name: 'Clear screen' }).click();
    await expect(messages(amy).getByText(SECRETS[0]!)).toHaveCount(0);
    await expect(amy.getByLabel('Message', { exact: true })).toHaveValue('');

    // The heap check finds text that is there.
    expect(await heapHolds(bob, SECRETS)).toEqual([SECRETS[2]]);

    await owner.getByRole('button', { name: 'More' }).click();
    await capture(owner, 'burn-menu');
    await owner.getByRole('button', { name: 'Burn room…' }).click();
    const dialog = owner.getByRole('alertdialog', { name: 'Burn ember?' });
    await expect(dialog).toContainText('Members on the terminal client cannot be wiped');
    await capture(owner, 'burn-confirmation');
    const started = Date.now();
    await dialog.getByRole('button', { name: 'Burn room' }).click();

    for (const page of [amy, bob]) {
      await expect(page.getByRole('heading', { name: 'This room was burned' })).toBeVisible();
    }
    const elapsed = Date.now() - started;
    test
      .info()
      .annotations.push({ type: 'burned screens shown after (ms)', description: String(elapsed) });
    for (const page of [amy, bob]) {
      // What is shown, and what is in the DOM without showing (the screen reader's live region).
      const text = await page.evaluate(() => document.body.innerText + document.body.textContent);
      for (const trace of [...SECRETS, 'ember', 'olive', 'term', 'a draft bob keeps'])
        expect(text).not.toContain(trace);
      expect(await heapHolds(page, [...SECRETS, codes.amy.code, codes.bob.code])).toEqual([]);
    }

    const report = owner.getByRole('status').filter({ hasText: 'Wipe report' });
    await expect(report).toContainText('2 of 3 members confirmed.');
    // The name is bidi-isolated (U+2068 … U+2069).
    await expect(report).toContainText(
      /\u2068term\u2069 uses the terminal client and cannot confirm: their screen may still show the conversation\./,
    );
    await expect(report).toContainText('The room is gone from the server.');
    expect(await heapHolds(owner, SECRETS)).toEqual([]);
    await capture(owner, 'burn-report');
    await capture(bob, 'burn-burned-screen');

    // The terminal client gets the closing notice it knows, then the room is gone.
    const notice = await stock.post('pollMsg', {
      roomName: 'ember',
      user: 'term',
      sesskey: stock.sesskey,
      mylast: 0,
    });
    expect(notice).toEqual({ status: 200, json: { status: 'errmessage', text: NOTICE_BURNED } });
    const after = await stock.post('pollMsg', {
      roomName: 'ember',
      user: 'term',
      sesskey: stock.sesskey,
      mylast: 0,
    });
    expect(after.status).toBe(403);
  } finally {
    stock.dispose();
  }
});

test('leave and wipe: one key wipes the window at once', async ({ browser, server }) => {
  const owner = await openClient(browser, server);
  await createRoom(owner, 'flint', 'olive');
  const amy = await openClient(browser, server);
  await joinWithInvite(amy, (await invite(owner, 'amy')).code);
  await expect(messages(owner).getByText('User amy joined the room')).toBeVisible();
  await send(owner, 'nothing to keep');
  await expect(messages(amy).getByText('nothing to keep')).toBeVisible();
  await amy.getByLabel('Message', { exact: true }).press('Control+Shift+L');
  await expect(amy.getByRole('heading', { name: 'You left and wiped the room' })).toBeVisible();
  expect(await amy.evaluate(() => document.body.innerText)).not.toContain('nothing to keep');
  await expect(messages(owner).getByText('User amy left the room')).toBeVisible();
});
