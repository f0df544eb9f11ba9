/* global console, process */
// Renders the browser page's PNG icons from src-renderer/public/icon.svg with Chromium (Debian's,
// or LOCALCHAT_BROWSER_CHANNEL's as in playwright.config.ts): icon-192/512.png for the web app
// manifest, and apple-touch-icon.png, full-bleed on the icon's colour because iOS rounds the
// corners itself and fills transparency with black.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = path.join(root, 'src-renderer', 'public');
const svg = await readFile(path.join(publicDir, 'icon.svg'), 'utf8');
const channel = process.env.LOCALCHAT_BROWSER_CHANNEL;
const browser = await chromium.launch(
  channel ? { channel } : { executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] },
);
try {
  const icons = [
    { file: 'icon-192.png', size: 192, background: 'transparent', scale: 1 },
    { file: 'icon-512.png', size: 512, background: 'transparent', scale: 1 },
    // The rounded square's margin is cropped away: the whole tile is the icon's colour.
    { file: 'apple-touch-icon.png', size: 180, background: '#1f6f78', scale: 512 / 480 },
  ];
  for (const { file, size, background, scale } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const inner = Math.round(size * scale);
    const offset = (size - inner) / 2;
    await page.setContent(
      `<body style="margin:0;background:${background};overflow:hidden">` +
        `<div style="position:absolute;left:${offset}px;top:${offset}px;width:${inner}px;height:${inner}px">` +
        svg.replace('<svg ', '<svg width="100%" height="100%" ') +
        '</div></body>',
    );
    await page.screenshot({
      path: path.join(publicDir, file),
      omitBackground: background === 'transparent',
    });
    await page.close();
  }
  console.log(`make-web-icons: wrote ${icons.map((i) => i.file).join(', ')}`);
} finally {
  await browser.close();
}
