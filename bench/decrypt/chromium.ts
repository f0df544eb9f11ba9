import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import type { InPageInput, InPageResult } from './inPage';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A module and its imports (openpgp included) as one classic script. */
async function bundle(entry: string): Promise<string> {
  const output = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: {
        entry: fileURLToPath(new URL(entry, import.meta.url)),
        formats: ['iife'],
        name: 'localChatDecryptBenchBundle',
      },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if (!('output' in result)) continue;
    const chunk = result.output.find((item) => item.type === 'chunk');
    if (chunk && 'code' in chunk) return chunk.code;
  }
  throw new Error('vite produced no bundle for the in-page benchmark');
}

/** Runs the measurements in Debian's Chromium (headless, same flags as the e2e tests). */
export async function measureInChromium(
  input: Omit<InPageInput, 'helperScript'>,
): Promise<InPageResult> {
  const code = await bundle('./inPage.ts');
  // The crypto worker's S2K helper, as the page starts it from a blob (the app loads it by URL).
  const helperScript = await bundle('../../src-renderer/client/s2kHelper.worker.ts');
  // WebCrypto needs a secure context, which about:blank is not and http://127.0.0.1 is.
  const server = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>decrypt bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    // Evaluated rather than added as a <script>: the bundle contains the text "</script>".
    await page.evaluate(code);
    return await page.evaluate(
      (data) =>
        (
          globalThis as unknown as { localChatDecryptBench(i: InPageInput): Promise<InPageResult> }
        ).localChatDecryptBench(data),
      { ...input, helperScript },
    );
  } finally {
    await browser.close();
    server.close();
  }
}
