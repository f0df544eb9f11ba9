import { chromium } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInvite } from '../src-shared/invite';
import { api, testAgent } from '../src-main/server/testing/raw-client';
import config from '../playwright.config';
import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  messages,
  openClient,
  screenshot,
  send,
  test,
} from './fixtures';

/** Every file under `dir`, however deep. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

/** The files whose bytes hold `secret`, as UTF-8 or as UTF-16 (how Chromium keeps some text). */
function filesHolding(dir: string, secret: string): string[] {
  const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  return filesUnder(dir).filter((path) => {
    const bytes = readFileSync(path);
    return forms.some((form) => bytes.includes(form));
  });
}

/** The invites whose codes the profile's files hold (links in History, Sessions, …), decoded. */
function invitesUnder(dir: string) {
  const codes = new Set<string>();
  for (const path of filesUnder(dir)) {
    const bytes = readFileSync(path);
    for (const text of [
      bytes.toString('latin1'),
      bytes.toString('utf16le'),
      bytes.subarray(1).toString('utf16le'),
    ]) {
      for (const [code] of text.matchAll(/LC1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}/g)) codes.add(code);
    }
  }
  return [...codes].flatMap((code) => {
    try {
      return [decodeInvite(code)];
    } catch {
      return [];
    }
  });
}

test('a browser that joined through an https invite link keeps no room key on disk, and the password it keeps no longer opens the room', async ({
  browser,
  server,
}) => {
  test.slow();
  const owner = await openClient(browser, server);
  await createRoom(owner, 'vault', 'olga');
  const texts = await invite(owner, 'finn');
  // The stock line still carries the passphrase: that is how the test learns it.
  const [, roomPass, userPass] = /^\/join vault (\S+):(\S+) finn$/.exec(texts.joinLine) ?? [];
  expect(roomPass).toBeTruthy();
  const carried = decodeInvite(texts.code);
  expect(carried.roomPass).toBeUndefined();
  expect(carried).toMatchObject({ from: 'olga', user: 'finn', userPass });
  expect(texts.message).not.toContain(roomPass!);

  const profile = mkdtempSync(join(tmpdir(), 'localchat-profile-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      ...config.use?.launchOptions,
      ignoreHTTPSErrors: true,
    });
    const friend = context.pages()[0] ?? (await context.newPage());
    await friend.goto(texts.link);
    // The inviter is offline a while: the friend waits for the key, saying so.
    await owner.context().setOffline(true);
    const form = friend.getByRole('form', { name: 'Join with an invite' });
    await form.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(
      friend.getByText('Waiting for a member to hand you the room key (olga, who invited you).'),
    ).toBeVisible();
    await expectAccessible(friend, { what: 'the wait for the room key' });
    for (const size of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      await friend.setViewportSize(size);
      await screenshot(friend, `handover-waiting-${size.width}`);
    }
    await owner.context().setOffline(false);
    // The inviter's page hands the key over; then the friend reads as usual.
    await expect(friend.getByRole('heading', { name: 'vault', level: 1 })).toBeVisible();
    await send(owner, 'the vault opens at noon');
    await expect(messages(friend).getByText('the vault opens at noon')).toBeVisible();
    await context.close();

    expect(filesUnder(profile).length).toBeGreaterThan(10);
    // The link did reach the disk...
    const kept = invitesUnder(profile);
    expect(kept.map((i) => i.user)).toContain('finn');
    // ...but the room key never did, neither as text nor inside an invite code,
    expect(filesHolding(profile, roomPass!)).toEqual([]);
    expect(kept.filter((i) => i.roomPass !== undefined)).toEqual([]);
    // and the password it holds opens nothing any more: the first join replaced it.
    for (const { userPass: kept_ } of kept) {
      const res = await api(
        server.url,
        'joinRoom',
        { roomName: 'vault', user: 'finn', userpass: kept_ },
        { agent: testAgent() },
      );
      expect(res.status === 200 ? res.json?.status : res.status).not.toBe('ok');
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
