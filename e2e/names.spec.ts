import {
  createRoom,
  expect,
  expectAccessible,
  invite,
  messages,
  openClient,
  screenshot,
  test,
} from './fixtures';
import { StockClient } from './stockClient';

/**
 * Issue 21 items 3 and 4 on screen: a name in a SYSTEM notice is a name, not SYSTEM's words, and a
 * name that mixes scripts carries a badge.
 */
for (const size of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`names in notices are names, and mixed scripts are marked (${size.name})`, async ({
    browser,
    server,
  }) => {
    const alice = await openClient(browser, server);
    await alice.setViewportSize({ width: size.width, height: size.height });
    await createRoom(alice, `names-${size.name}`, 'alice');
    // A Cyrillic "а" in an otherwise Latin name, and a name that reads as SYSTEM's words.
    for (const name of ['m\u0430ry', 'ALERT:room.closed']) {
      const { joinLine, server: serverUrl } = await invite(alice, name);
      const member = StockClient.fromJoinLine(serverUrl, joinLine);
      await member.join();
      await member.say(`hello from ${name}`);
      member.dispose();
    }
    const log = messages(alice);
    const chip = alice.locator('.notice-name[data-name="ALERT:room.closed"]');
    const joined = log
      .locator('[data-kind="system"]')
      .filter({ hasText: 'User ALERT:room.closed joined the room' })
      .filter({ has: chip });
    await expect(joined).toHaveCount(1);
    // The name is one chip of its own: its words are not SYSTEM's.
    await expect(joined.locator('.notice-name')).toHaveText(['ALERT:room.closed']);
    const sender = log.locator('[data-kind="say"]').filter({ hasText: 'hello from m\u0430ry' });
    await expect(sender.getByText('mixed scripts')).toBeVisible();
    await expect(sender.getByText('mixed scripts')).toHaveAttribute(
      'title',
      'This name mixes Latin and Cyrillic letters',
    );
    await expect(
      log
        .locator('[data-kind="say"]')
        .filter({ hasText: 'hello from ALERT' })
        .getByText('mixed scripts'),
    ).toHaveCount(0);
    await expectAccessible(alice, { include: '[role="log"]', what: 'the messages' });
    await screenshot(alice, `names-${size.name}`);
  });
}
