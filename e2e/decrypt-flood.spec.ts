import { loadavg } from 'node:os';
import { toWrappedBase64 } from '../src-shared/crypto/base64';
import { writeIteratedSkesk } from '../src-shared/crypto/packets';
import { createRoom, expect, invite, messages, openClient, screenshot, test } from './fixtures';
import { StockClient } from './stockClient';

const FLOOD = 100;
const AES256 = 9;
/** The largest count gpg writes (65011712 octets), as its coded octet. */
const GPG_MAX_CODED_COUNT = 0xff;

/**
 * The attack of issue 21.1: exactly the shape readers accept (one SKESK v4, iterated+salted SHA-1
 * with the largest count, a fresh salt so no key cache helps, then an SEIPD v1) but garbage
 * inside. Each costs every reader a full S2K derivation and then fails.
 */
function costlyGarbage(): string {
  const salt = crypto.getRandomValues(new Uint8Array(8));
  const skesk = writeIteratedSkesk(AES256, 'SHA-1', salt, GPG_MAX_CODED_COUNT);
  const body = crypto.getRandomValues(new Uint8Array(64));
  const seipd = new Uint8Array([0xc0 | 18, 1 + body.length, 1, ...body]);
  const bytes = new Uint8Array(skesk.length + seipd.length);
  bytes.set(skesk);
  bytes.set(seipd, skesk.length);
  return toWrappedBase64(bytes);
}

test('a flood of 100 costly garbage messages from one member delays no one else', async ({
  browser,
  server,
}) => {
  test.setTimeout(120_000);
  const alice = await openClient(browser, server);
  await createRoom(alice, 'flooded', 'alice');
  const mallory = StockClient.fromJoinLine(server.url, (await invite(alice, 'mallory')).joinLine);
  const carol = StockClient.fromJoinLine(server.url, (await invite(alice, 'carol')).joinLine);
  try {
    await mallory.join();
    await carol.join();
    await expect(messages(alice).getByText('User carol joined the room')).toBeVisible();
    const honest = carol.encrypt(
      JSON.stringify({ user: 'carol', text: 'an honest message', verb: 'say' }),
    );
    const flood = Array.from({ length: FLOOD }, costlyGarbage);
    await Promise.all(flood.map((msg) => mallory.sendCiphertext(msg)));
    // All 100 have reached the page and are being worked through when carol speaks.
    await expect(
      alice.getByRole('status').filter({ hasText: /Decrypting \d+ messages/ }),
    ).toBeVisible();
    const sentAt = Date.now();
    await carol.sendCiphertext(honest);
    await expect(messages(alice).getByText('an honest message')).toBeVisible({ timeout: 30_000 });
    const shownAfter = Date.now() - sentAt;
    const undecrypted = await messages(alice).locator('[data-kind="undecryptable"]').count();
    console.log(
      `decrypt flood: carol's message on screen ${shownAfter} ms after it was sent, with ${FLOOD} ` +
        `costly messages from mallory in flight (${undecrypted} of them decided by then); ` +
        `load average ${loadavg()[0]!.toFixed(1)}`,
    );
    // Behind the flood it would have waited for all 100 derivations (tens of seconds).
    expect(undecrypted).toBeLessThan(FLOOD / 2);

    // Past mallory's budget the rest wait, marked (a run of them as one line with its count),
    // and open one by one on request.
    const held = messages(alice).locator('[data-kind="held"]');
    await expect(held.first()).toContainText('mallory sent many messages that are slow to open', {
      timeout: 30_000,
    });
    const waiting = async () => {
      const counts = await held.evaluateAll((lines) =>
        lines.map((line) => Number(line.getAttribute('data-held-count'))),
      );
      return counts.reduce((sum, n) => sum + n, 0);
    };
    const before = await waiting();
    expect(before).toBeGreaterThan(1);
    await held
      .first()
      .getByRole('button', { name: /^Open (it|one) now$/ })
      .click();
    await expect.poll(waiting).toBeLessThan(before);
    // One member's garbage never makes the room passphrase look wrong.
    await expect(
      alice.getByRole('region', { name: 'The room passphrase looks wrong' }),
    ).toHaveCount(0);
    await alice.setViewportSize({ width: 390, height: 844 });
    await screenshot(alice, 'decrypt-flood-held-390');
    await alice.setViewportSize({ width: 1280, height: 800 });
    await screenshot(alice, 'decrypt-flood-held-1280');
  } finally {
    mallory.dispose();
    carol.dispose();
  }
});
