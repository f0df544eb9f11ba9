import type { Browser, Page } from '@playwright/test';
import { encodeInvite } from '../src-shared/invite';
import {
  createRoom,
  expect,
  expectAccessible,
  messages,
  openClient,
  screenshot,
  test,
} from './fixtures';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** The same view at both sizes in both colour schemes, then back to light at `size`. */
async function screenshots(page: Page, name: string, size = DESKTOP): Promise<void> {
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await screenshot(page, `${name}-${viewport.width}x${viewport.height}-${colorScheme}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(size);
}

async function openLink(browser: Browser, link: string, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  await page.goto(link);
  return page;
}

/** The owner's two actions: "Start a room" with its two names, then "Create invite" with one. */
async function ownerInvites(owner: Page, friend: string) {
  await owner
    .getByRole('form', { name: 'Invite the first person' })
    .getByLabel('Their name')
    .fill(friend);
  await owner
    .getByRole('form', { name: 'Invite the first person' })
    .getByRole('button', { name: 'Create invite' })
    .click();
  const dialog = owner.getByRole('dialog', { name: `Invite for ${friend}` });
  await expect(dialog.getByRole('status')).toHaveText(
    `Copied. Paste it into a private chat with ${friend}.`,
  );
  return dialog;
}

test('a friend opens the https invite link and joins in one click; a phone joins through the same kind of link', async ({
  browser,
  server,
}) => {
  // Three people join and the views are photographed eight times over: a long flow, not a slow one.
  test.slow();
  const owner = await openClient(browser, server);
  await owner.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(server.url).origin,
  });
  await owner.setViewportSize(DESKTOP);
  // Only two primary actions; placeholders are instructions, never sample values.
  await expect(owner.getByRole('button', { name: 'Start a room' })).toBeVisible();
  await expect(owner.getByRole('button', { name: 'Join', exact: true })).toBeVisible();
  await expect(owner.getByRole('form', { name: 'Join by details' })).toBeHidden();
  for (const field of await owner.locator('input[placeholder], textarea[placeholder]').all())
    expect(await field.getAttribute('placeholder')).toBe('Paste it here');
  await expectAccessible(owner);
  await screenshots(owner, 'invite-start');

  await createRoom(owner, 'picnic', 'olga');
  await screenshots(owner, 'invite-empty-room');
  const dialog = await ownerInvites(owner, 'finn');
  await expect(dialog.getByRole('button', { name: 'Copy message' })).toBeFocused();
  const message = await dialog.getByLabel('Message to send').inputValue();
  // What was copied is exactly the message shown, with one link in it.
  expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(message);
  const links = message.match(/(https|localchat):\/\/\S+/g) ?? [];
  expect(links).toHaveLength(1);
  const link = links[0]!;
  expect(link.startsWith(`${server.webUrl}#join=LC1.`)).toBe(true);
  // The short fingerprint people compare with the browser's certificate viewer.
  expect(message).toContain(`must begin with ${server.fingerprint.slice(0, 23)}.`);
  await expect(dialog).toContainText(server.fingerprint);
  // 127.0.0.1 reaches nobody else: said, with how to host on the network.
  await expect(dialog.getByRole('note').first()).toContainText('127.0.0.1');
  await expect(dialog.getByRole('note').first()).toContainText('--host 0.0.0.0');
  await expect(
    dialog.getByRole('img', { name: 'QR code of the invite link for finn' }),
  ).toBeVisible();
  await expect(dialog.getByLabel('Command to type')).toBeHidden();
  await dialog.getByText('For the LocalChat terminal client').click();
  await expect(dialog.getByLabel('Command to type')).toHaveValue(
    /^\/join picnic [A-Z0-9]{16}:[A-Z0-9]{16} finn$/,
  );
  await expectAccessible(owner, { include: '.dialog' });
  await screenshots(owner, 'invite-dialog');
  // Escape closes the dialog.
  await owner.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The friend: open the link, (accept the certificate,) Join.
  const friend = await openLink(browser, link);
  const join = friend.getByRole('form', { name: 'Join with an invite' });
  const summary = join.getByRole('region', { name: 'What this invite is for' });
  await expect(summary).toContainText('picnic');
  await expect(summary).toContainText('finn');
  await expect(summary).toContainText(server.webUrl!.replace(/\/$/, ''));
  await expect(summary).toContainText(`The invite names ${server.fingerprint.slice(0, 23)}`);
  // The invite left the address bar (and so the history entry) as soon as the page read it.
  expect(friend.url()).toBe(server.webUrl);
  await expect(join.getByRole('button', { name: 'Join', exact: true })).toBeFocused();
  await expectAccessible(friend);
  await screenshots(friend, 'invite-summary');
  await join.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(friend.getByRole('heading', { name: 'picnic', level: 1 })).toBeVisible();
  await expect(messages(owner).getByText('User finn joined the room')).toBeVisible();

  // The invite dialog keeps focus inside, and gives it back to what opened it.
  const opener = owner.getByRole('button', { name: 'Invite…' });
  await opener.click();
  const again = owner.getByRole('dialog', { name: 'Invite someone' });
  await expect(again.getByLabel('Their name in the room')).toBeFocused();
  for (let i = 0; i < 8; i++) {
    await owner.keyboard.press('Tab');
    expect(await owner.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(
      true,
    );
  }
  // An earlier invite can be shown again, the same as before.
  await again.getByRole('button', { name: 'Show the invite for finn again' }).click();
  await expect(
    owner.getByRole('dialog', { name: 'Invite for finn' }).getByLabel('Message to send'),
  ).toHaveValue(message);
  await owner.keyboard.press('Escape');
  await expect(opener).toBeFocused();

  // A phone joins through its own link.
  await opener.click();
  await again.getByLabel('Their name in the room').fill('pia');
  await again.getByRole('button', { name: 'Create invite' }).click();
  const piaMessage = await owner
    .getByRole('dialog', { name: 'Invite for pia' })
    .getByLabel('Message to send')
    .inputValue();
  await owner.getByRole('button', { name: 'Done' }).click();
  const phone = await openLink(browser, /https:\/\/\S+/.exec(piaMessage)![0], PHONE);
  await expect(phone.getByRole('region', { name: 'What this invite is for' })).toContainText('pia');
  await screenshot(phone, 'invite-phone-summary');
  await phone.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(phone.getByRole('heading', { name: 'picnic', level: 1 })).toBeVisible();
  await expect(messages(owner).getByText('User pia joined the room')).toBeVisible();
  await screenshot(phone, 'invite-phone-room');
});

test('a damaged or foreign invite is explained before anything is sent', async ({
  browser,
  server,
}) => {
  const page = await openClient(browser, server);
  const join = page.getByRole('form', { name: 'Join with an invite' });
  const box = join.getByLabel('Invite', { exact: true });
  const base = server.webUrl!;
  const invite = {
    room: 'r',
    roomPass: 'QX7RM2KD9WZ4TB1N',
    user: 'u',
    userPass: 'A1B2C3D4E5F6G7H8',
  };
  const code = encodeInvite({ server: base.replace(/\/$/, ''), ...invite });

  // One changed character: the checksum catches it, in words, while typing.
  const damaged = code.slice(0, 20) + (code[20] === 'A' ? 'B' : 'A') + code.slice(21);
  await box.fill(`${base}#join=${damaged}`);
  await expect(join.getByText(/damaged or was mistyped/)).toBeVisible();
  await expect(join.getByRole('region', { name: 'What this invite is for' })).toHaveCount(0);
  // Anything after the code is refused, not ignored.
  await box.fill(`${base}#join=${code}&next=https://evil.example`);
  await expect(join.getByText(/incomplete or damaged/)).toBeVisible();

  // A well-formed invite for another server is shown as such, and refused on Join.
  const foreign = encodeInvite({ server: 'https://192.0.2.7:8090', ...invite });
  await box.fill(`https://192.0.2.7:8090/#join=${foreign}`);
  const summary = join.getByRole('region', { name: 'What this invite is for' });
  await expect(summary).toContainText('This invite is for another server, https://192.0.2.7:8090');
  await expect(summary).toContainText('Not pinned by the invite');
  await join.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('This page can only talk to its own server');

  // A link to this page carrying an invite for another server: the mismatch is named.
  await box.fill(`${base}#join=${foreign}`);
  await expect(summary).toContainText('but the invite inside it is for https://192.0.2.7:8090');
  await screenshot(page, 'invite-foreign');

  // Another invite link opened in the same tab changes only the fragment: it is taken all the same.
  await page.evaluate((fragment) => (window.location.hash = fragment), `#join=${code}`);
  await expect(box).toHaveValue(`${base}#join=${code}`);
  await expect(summary).not.toContainText('another server');
  expect(page.url()).toBe(base);
});
