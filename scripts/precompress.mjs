/* global process */
// Compresses the built page once, at build time: next to each compressible file of at least
// MIN_BYTES it writes FILE.br (brotli at its best quality) and FILE.gz (gzip -9), each only when
// smaller. The room server serves these as the file's encodings and compresses nothing itself
// (src-main/server/transport/web-files.ts). Vite's build runs it (vite.config.ts); run by hand:
// `node scripts/precompress.mjs dist/renderer`.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The file types web-files.ts marks compressible. */
export const COMPRESSIBLE = [
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
  '.map',
  '.wasm',
];
/** Below this, a compressed answer saves less than its headers cost. */
export const MIN_BYTES = 1024;

async function filesUnder(dir) {
  const out = [];
  for (const dirent of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, dirent.name);
    if (dirent.isDirectory()) out.push(...(await filesUnder(file)));
    else if (dirent.isFile()) out.push(file);
  }
  return out;
}

/** Writes the .br and .gz forms of every compressible file under `dir`; returns how many. */
export async function precompress(dir) {
  let written = 0;
  for (const file of await filesUnder(dir)) {
    if (!COMPRESSIBLE.includes(path.extname(file).toLowerCase())) continue;
    const raw = await readFile(file);
    if (raw.length < MIN_BYTES) continue;
    const forms = [
      [
        '.br',
        await brotli(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
      ],
      ['.gz', await gzip(raw, { level: 9 })],
    ];
    for (const [suffix, bytes] of forms) {
      if (bytes.length >= raw.length) continue;
      await writeFile(file + suffix, bytes);
      written += 1;
    }
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await precompress(process.argv[2] ?? 'dist/renderer');
}
