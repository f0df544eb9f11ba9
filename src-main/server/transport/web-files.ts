import { readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ContentCoding } from './accept-encoding';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** A built page has a few dozen files; a directory with thousands is not one (a home folder?). */
const MAX_FILES = 2_000;
/** Larger files are left out: each served file is held in memory. */
const MAX_FILE_BYTES = 32 * 1024 ** 2;
/** Below this, a compressed answer saves less than its headers cost. */
const MIN_COMPRESSED_BYTES = 1024;

const TYPES: Record<string, { type: string; compressible: boolean }> = {
  '.html': { type: 'text/html; charset=utf-8', compressible: true },
  '.js': { type: 'text/javascript; charset=utf-8', compressible: true },
  '.mjs': { type: 'text/javascript; charset=utf-8', compressible: true },
  '.css': { type: 'text/css; charset=utf-8', compressible: true },
  '.json': { type: 'application/json; charset=utf-8', compressible: true },
  '.webmanifest': { type: 'application/manifest+json; charset=utf-8', compressible: true },
  '.svg': { type: 'image/svg+xml', compressible: true },
  '.txt': { type: 'text/plain; charset=utf-8', compressible: true },
  '.map': { type: 'application/json; charset=utf-8', compressible: true },
  '.wasm': { type: 'application/wasm', compressible: true },
  '.png': { type: 'image/png', compressible: false },
  '.ico': { type: 'image/x-icon', compressible: false },
  '.woff2': { type: 'font/woff2', compressible: false },
};
const UNKNOWN_TYPE = { type: 'application/octet-stream', compressible: false };

/** Vite's output names: assets/<name>-<hash>.<ext>; a new build gives a changed file a new name. */
const HASHED = /^assets\/(?:[^/]+\/)*[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export interface WebFile {
  type: string;
  /** Content-addressed: may be cached for a year; everything else is never cached. */
  immutable: boolean;
  compressible: boolean;
}

interface Entry extends WebFile {
  absolute: string;
  raw?: Promise<Buffer>;
  encoded: Map<ContentCoding, Promise<Buffer>>;
}

/**
 * The built page's files, listed once at start-up: a request can only ever name one of these
 * (an exact key, so no path can climb out), each is read once, and each compressed form is made
 * once on first demand, off the event loop, and kept.
 */
export class WebFiles {
  private constructor(private readonly entries: Map<string, Entry>) {}

  static list(dir: string): WebFiles {
    const root = realpathSync(dir);
    const entries = new Map<string, Entry>();
    const visit = (relative: string) => {
      for (const dirent of readdirSync(path.join(root, relative), { withFileTypes: true })) {
        // Dotfiles (.env, .git) are never the page; symlinks could point anywhere.
        if (dirent.name.startsWith('.') || dirent.isSymbolicLink()) continue;
        const key = relative ? `${relative}/${dirent.name}` : dirent.name;
        if (dirent.isDirectory()) {
          visit(key);
          continue;
        }
        if (!dirent.isFile()) continue;
        if (entries.size >= MAX_FILES)
          throw new Error(`${dir} holds more than ${MAX_FILES} files: not a built web page`);
        const absolute = path.join(root, key);
        if (statSync(absolute).size > MAX_FILE_BYTES) continue;
        const { type, compressible } = TYPES[path.extname(key).toLowerCase()] ?? UNKNOWN_TYPE;
        entries.set(key, {
          absolute,
          type,
          compressible,
          immutable: HASHED.test(key),
          encoded: new Map(),
        });
      }
    };
    visit('');
    return new WebFiles(entries);
  }

  /** The file a decoded relative path ('index.html', 'assets/x.js') names, if any. */
  find(key: string): WebFile | undefined {
    return this.entries.get(key);
  }

  /** The file's bytes in the coding asked for, or as they are when that would not be smaller. */
  async body(
    key: string,
    coding: ContentCoding | undefined,
  ): Promise<{ bytes: Buffer; coding?: ContentCoding }> {
    const entry = this.entries.get(key);
    if (!entry) throw new Error('not a listed file');
    entry.raw ??= readFile(entry.absolute).catch((error: unknown) => {
      entry.raw = undefined;
      throw error;
    });
    const raw = await entry.raw;
    if (!coding || !entry.compressible || raw.length < MIN_COMPRESSED_BYTES) return { bytes: raw };
    let encoded = entry.encoded.get(coding);
    if (!encoded) {
      encoded = compress(raw, coding).catch((error: unknown) => {
        entry.encoded.delete(coding);
        throw error;
      });
      entry.encoded.set(coding, encoded);
    }
    const bytes = await encoded;
    return bytes.length < raw.length ? { bytes, coding } : { bytes: raw };
  }
}

function compress(raw: Buffer, coding: ContentCoding): Promise<Buffer> {
  if (coding === 'gzip') return gzip(raw, { level: 9 });
  // Quality 5: within about a tenth of brotli's best size at a twentieth of its time.
  return brotli(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}
