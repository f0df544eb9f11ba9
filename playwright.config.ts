import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium, never a downloaded browser; LOCALCHAT_BROWSER_CHANNEL=chrome uses an installed
// Google Chrome instead (the macOS and Windows CI runners have one, and no Debian Chromium).
// Each spec file starts its own room server on an
// ephemeral loopback port (see e2e/fixtures.ts) that serves the freshly built page.
const channel = process.env.LOCALCHAT_BROWSER_CHANNEL;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: {
    ...devices['Desktop Chrome'],
    ignoreHTTPSErrors: true,
    viewport: { width: 1200, height: 760 },
    launchOptions: {
      ...(channel ? { channel } : { executablePath: '/usr/bin/chromium' }),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
