import { encryptText } from '../src-shared/crypto/message';
import { createRoom, expect, invite, messages, openClient, test } from './fixtures';
import { StockClient } from './stockClient';

const BACKLOG = 200;

test('a backlog of 200 messages decrypts off the UI thread', async ({ browser, server }) => {
  const alice = await openClient(browser, server);
  await createRoom(alice, 'burst', 'alice');
  const { joinLine, server: serverUrl } = await invite(alice, 'bulk');
  const bulk = StockClient.fromJoinLine(serverUrl, joinLine);
  const roomPass = joinLine.split(' ')[2]!.split(':')[0]!;
  try {
    await bulk.join();
    await expect(messages(alice).getByText('User bulk joined the room')).toBeVisible();
    const ciphertexts = await Promise.all(
      Array.from({ length: BACKLOG }, (_, i) =>
        encryptText(
          JSON.stringify({ user: 'bulk', text: `burst message ${i + 1}`, verb: 'say' }),
          roomPass,
        ),
      ),
    );

    // Long tasks and the longest gap between frames while the burst is handled.
    await alice.evaluate(`(() => {
      window.__longest = 0; window.__frameGap = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
      let prev = performance.now();
      const frame = (t) => { window.__frameGap = Math.max(window.__frameGap, t - prev); prev = t; requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    })()`);
    // Hold the page's polls while the burst is posted, as if its network had dropped, so the next
    // poll brings the whole backlog at once.
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    await alice.route('**/*', async (route) => {
      if (route.request().method() === 'POST' && route.request().postData()?.includes('"pollMsg"'))
        await gate;
      await route.continue();
    });
    for (const msg of ciphertexts) await bulk.sendCiphertext(msg);
    const started = Date.now();
    openGate();
    await expect(messages(alice).locator('[data-kind="say"]')).toHaveCount(BACKLOG, {
      timeout: 30_000,
    });
    const elapsed = Date.now() - started;
    await expect(messages(alice).locator('li').last()).toContainText(`burst message ${BACKLOG}`);
    // Typing stays possible: the box is live while and after the burst.
    await alice.getByLabel('Message', { exact: true }).fill('still responsive');
    await expect(alice.getByLabel('Message', { exact: true })).toHaveValue('still responsive');

    const figures = (await alice.evaluate(`(() => ({
      longest: window.__longest,
      frameGap: window.__frameGap,
      measures: performance.getEntriesByName('localchat:decrypt-messages').map((m) => m.duration),
    }))()`)) as { longest: number; frameGap: number; measures: number[] };
    expect(figures.measures.length).toBeGreaterThan(0);
    console.log(
      `backlog: ${BACKLOG} messages shown ${elapsed} ms after the polls resumed; ` +
        `${figures.measures.length} decrypt deliveries, longest ${Math.round(Math.max(...figures.measures))} ms; ` +
        `longest main-thread task ${figures.longest > 0 ? `${Math.round(figures.longest)} ms` : 'none over 50 ms'}; ` +
        `longest frame gap ${Math.round(figures.frameGap)} ms`,
    );
  } finally {
    bulk.dispose();
  }
});
