import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. Each spec file starts its own room server on an
// ephemeral loopback port (see e2e/fixtures.ts) that serves the freshly built page.
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
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
