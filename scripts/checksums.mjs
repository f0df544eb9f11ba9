/* global console, process */
// `node scripts/checksums.mjs DIR OUT`: writes OUT in `sha256sum` format (`<hex>  <name>`) for
// every installer in DIR, so users can check a download with `sha256sum -c` or by eye.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const INSTALLER_EXTENSIONS = ['.exe', '.dmg', '.AppImage', '.deb'];

async function sha256(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** The checksum lines for DIR's installers, sorted by name. */
export async function checksumLines(dir) {
  const names = (await readdir(dir))
    .filter((name) => INSTALLER_EXTENSIONS.includes(path.extname(name)))
    .sort();
  if (names.length === 0) throw new Error(`no installers in ${dir}`);
  return Promise.all(names.map(async (name) => `${await sha256(path.join(dir, name))}  ${name}`));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) {
    console.error('usage: node scripts/checksums.mjs DIR OUT');
    process.exit(2);
  }
  try {
    const lines = await checksumLines(dir);
    await writeFile(out, `${lines.join('\n')}\n`);
    console.log(lines.join('\n'));
  } catch (err) {
    console.error(`checksums: ${err.message}`);
    process.exit(1);
  }
}
