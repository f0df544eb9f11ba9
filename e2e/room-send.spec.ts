/// <reference lib="dom" />
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { RunningServer } from '../src-main/server/index';
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

const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/**
 * A TCP relay in front of the room server that can be stopped and started again on the same port:
 * to the page behind it, the server went away and came back (TLS passes through untouched).
 */
class Relay {
  private listener: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: number) {}

  async start(): Promise<void> {
    const listener = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => listener.listen(this.port, '127.0.0.1', resolve));
    this.port = (listener.address() as { port: number }).port;
    this.listener = listener;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.listener ? this.listener.close(() => resolve()) : resolve(),
    );
    this.listener = undefined;
  }

  /** The server as seen through the relay, for openClient. */
  view(server: RunningServer): RunningServer {
    const swap = (url: string) => url.replace(`:${new URL(server.url).port}`, `:${this.port}`);
    return {
      ...server,
      url: swap(server.url),
      ...(server.webUrl ? { webUrl: swap(server.webUrl) } : {}),
    };
  }
}

for (const size of SIZES) {
  test(`at ${size.width}x${size.height}, scrolled up, a new message shows a pill and leaves the view alone`, async ({
    browser,
    server,
  }) => {
    const alice = await openClient(browser, server);
    await alice.setViewportSize(size);
    await createRoom(alice, `pill${size.width}`, 'alice');
    const bob = await openClient(browser, server);
    await joinWithInvite(bob, (await invite(alice, 'bob')).code);
    for (let i = 1; i <= 40; i++) await send(bob, `filler ${i}`);
    const log = messages(alice);
    await expect(log.getByText('filler 40')).toBeInViewport();

    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(log.getByText('filler 40')).not.toBeInViewport();
    const before = await log.evaluate((el) => el.scrollTop);
    await send(bob, 'news while you read');
    const pill = alice.getByRole('button', { name: /1 new message/ });
    await expect(pill).toBeVisible();
    await expect(log.getByText('news while you read')).toHaveCount(1);
    expect(await log.evaluate((el) => el.scrollTop)).toBe(before);
    await expect(log.getByText('news while you read')).not.toBeInViewport();

    await pill.click();
    await expect(log.getByText('news while you read')).toBeInViewport();
    await expect(pill).toBeHidden();
  });
}

test('a send to a slow server shows sending, then sent', async ({ browser, server }) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'slow', 'alice');
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await alice.route('**/*', async (route) => {
    if (route.request().postData()?.includes('"sendMsg"')) await held;
    await route.continue();
  });
  await send(alice, 'patience');
  const line = messages(alice).locator('[data-kind="say"]').filter({ hasText: 'patience' });
  await expect(line.locator('[data-delivery="sending"]')).toHaveText('sending…');
  release();
  await expect(line.locator('[data-delivery="sent"]')).toHaveText('sent');
  await expect(line).toHaveCount(1);
});

test('a send to a stopped server waits with its text kept, and goes out once by itself after restart', async ({
  browser,
  server,
}) => {
  const relay = new Relay(Number(new URL(server.url).port));
  await relay.start();
  try {
    // Bob talks to the server directly; alice's page reaches it only through the relay (a /join
    // line names no server, so her page uses its own).
    const bob = await openClient(browser, server);
    await createRoom(bob, 'outage', 'bob');
    const { joinLine } = await invite(bob, 'alice');
    const alice = await openClient(browser, relay.view(server));
    await joinWithInvite(alice, joinLine);
    await expect(messages(bob).getByText('User alice joined the room')).toBeVisible();

    await relay.stop();
    await send(alice, 'said during the outage');
    const line = messages(alice)
      .locator('[data-kind="say"]')
      .filter({ hasText: 'said during the outage' });
    // Not a failure: the server did not refuse it, it did not answer (issue 20).
    await expect(line.locator('[data-delivery="waiting"]')).toContainText('waiting for the server');
    await expect(line.locator('bdi.text')).toHaveText('said during the outage');
    await expect(line.getByRole('button', { name: 'Retry' })).toHaveCount(0);

    await relay.start();
    await expect(line.locator('[data-delivery="sent"]')).toBeVisible({ timeout: 15_000 });
    await expect(messages(bob).getByText('said during the outage')).toHaveCount(1);
    // A later message arrives too, so any duplicate of the retried one would have come before it.
    await send(alice, 'after the outage');
    await expect(messages(bob).getByText('after the outage')).toBeVisible();
    await expect(messages(bob).getByText('said during the outage')).toHaveCount(1);
    await expect(messages(alice).getByText('said during the outage')).toHaveCount(1);
  } finally {
    await relay.stop();
  }
});

test('a DM the server refuses is never shown as "DM to"', async ({ browser, server }) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'refusals', 'alice');
  await send(alice, '/msg 0 to everyone?');
  const line = messages(alice).locator('[data-dm="true"]').filter({ hasText: 'to everyone?' });
  await expect(line.locator('[data-delivery="failed"]')).toBeVisible();
  await expect(line.locator('.dm-tag')).toHaveText('Not delivered to 0');
  await expect(messages(alice).getByText(/DM to/)).toHaveCount(0);
});
