import { createRoom, expect, invite, messages, openClient, send, test } from './fixtures';
import { StockClient } from './stockClient';

test('a stock-client stand-in using real gpg and the browser read each other', async ({
  browser,
  server,
}) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'interop', 'alice');
  const { joinLine, server: serverUrl } = await invite(alice, 'term');
  const stock = StockClient.fromJoinLine(serverUrl, joinLine);
  try {
    await stock.join();
    await expect(messages(alice).getByText('User term joined the room')).toBeVisible();

    await stock.say('hello from the terminal');
    await stock.say('types furiously', 'do');
    await expect(
      messages(alice).locator('[data-kind="say"]').filter({ hasText: 'hello from the terminal' }),
    ).toContainText('term');
    await expect(messages(alice).locator('[data-kind="do"]')).toContainText(
      '* term types furiously',
    );

    await send(alice, 'reply from the browser');
    await send(alice, '/me smiles');
    // A DM to a terminal-client member goes with the room key: the composer says so first, and
    // the second press sends it.
    const box = alice.getByLabel('Message', { exact: true });
    await box.fill('/msg term only for the terminal');
    await box.press('Enter');
    await expect(alice.locator('#composer-caution')).toContainText('term uses the terminal client');
    await box.press('Enter');
    await expect(box).toHaveValue('');
    const seen: {
      from: string;
      to: string;
      plain: { user?: string; text: string; verb: string };
    }[] = [];
    await expect
      .poll(async () => {
        seen.push(...(await stock.poll()));
        return seen.filter((m) => m.from === 'alice').length;
      })
      .toBe(3);
    expect(seen.filter((m) => m.from === 'alice')).toEqual([
      {
        from: 'alice',
        to: '0',
        plain: { user: 'alice', text: 'reply from the browser', verb: 'say' },
      },
      { from: 'alice', to: '0', plain: { user: 'alice', text: 'smiles', verb: 'do' } },
      {
        from: 'alice',
        to: 'term',
        plain: { user: 'alice', text: 'only for the terminal', verb: 'say' },
      },
    ]);
  } finally {
    stock.dispose();
  }
});
