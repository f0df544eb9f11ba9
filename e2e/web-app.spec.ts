import { expect, test } from './fixtures';

// The browser page as a web app (issue 12): its icons and manifest load under the page's CSP,
// hashed assets arrive compressed and cacheable for good, the HTML is never cached.
test('icons, manifest and caching headers as a browser meets them', async ({ page, server }) => {
  const answers = new Map<string, Record<string, string>>();
  page.on('response', (response) => answers.set(response.url(), response.headers()));
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  const pageUrl = server.webUrl ?? `${server.url}/`;
  const html = await page.goto(pageUrl);
  expect(html?.headers()['cache-control']).toBe('no-store');
  expect(html?.headers()['content-security-policy']).toContain("default-src 'self'");

  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', './icon.svg');
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
    'href',
    './apple-touch-icon.png',
  );

  const script = [...answers.keys()].find((url) => /\/assets\/index-[\w-]+\.js$/.test(url));
  expect(script, [...answers.keys()].join('\n')).toBeDefined();
  const scriptHeaders = answers.get(script!)!;
  expect(scriptHeaders['content-encoding']).toBe('br');
  expect(scriptHeaders['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(scriptHeaders.vary).toBe('Accept-Encoding');
  expect(scriptHeaders['x-content-type-options']).toBe('nosniff');

  // What a browser does with the manifest and the icons it names, from inside the page (its CSP).
  const loaded = await page.evaluate(async () => {
    const manifestHref = document.querySelector('link[rel="manifest"]')!.getAttribute('href')!;
    const manifestAnswer = await fetch(manifestHref);
    const manifest = (await manifestAnswer.json()) as {
      name: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    const icons = [];
    for (const icon of [
      ...manifest.icons,
      { src: 'apple-touch-icon.png', sizes: '180x180', type: 'image/png' },
    ]) {
      const answer = await fetch(icon.src);
      const image = new Image();
      image.src = icon.src;
      await image.decode();
      icons.push({
        ...icon,
        status: answer.status,
        contentType: answer.headers.get('content-type'),
        size: `${image.naturalWidth}x${image.naturalHeight}`,
      });
    }
    return { manifestType: manifestAnswer.headers.get('content-type'), name: manifest.name, icons };
  });
  expect(loaded.manifestType).toBe('application/manifest+json; charset=utf-8');
  expect(loaded.name).toBe('LocalChat');
  expect(loaded.icons.length).toBe(4);
  for (const icon of loaded.icons) {
    expect(icon.status, icon.src).toBe(200);
    expect(icon.contentType, icon.src).toBe(icon.type);
    if (icon.sizes !== 'any') expect(icon.size, icon.src).toBe(icon.sizes);
  }
  expect(cspViolations).toEqual([]);
});
