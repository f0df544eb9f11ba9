import { readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentCoding } from './accept-encoding';

/** A built page has a few dozen files; a directory with thousands is not one (a home folder?). */
const MAX_FILES = 2_000;
/** Larger files are left out: each served file is held in memory. */
const MAX_FILE_BYTES = 32 * 1024 ** 2;
/** The build's precompressed forms of a file (scripts/precompress.mjs): FILE.br and FILE.gz. */
const ENCODED_SUFFIXES: Record<string, ContentCoding> = { '.br': 'br', '.gz': 'gzip' };

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

interface Stored {
  absolute: string;
  bytes?: Promise<Buffer>;
}

interface Entry extends WebFile, Stored {
  /** The build's compressed forms of the file, read as they are. */
  encoded: Map<ContentCoding, Stored>;
}

/**
 * The built page's files, listed once at start-up: a request can only ever name one of these
 * (an exact key, so no path can climb out). The build compressed them (scripts/precompress.mjs):
 * each file and each of its compressed forms is read once, on first demand, and kept.
 */
export class WebFiles {
  private constructor(private readonly entries: Map<string, Entry>) {}

  static list(dir: string): WebFiles {
    const root = realpathSync(dir);
    const entries = new Map<string, Entry>();
    const found: { key: string; absolute: string }[] = [];
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
        if (found.length >= MAX_FILES)
          throw new Error(`${dir} holds more than ${MAX_FILES} files: not a built web page`);
        const absolute = path.join(root, key);
        if (statSync(absolute).size > MAX_FILE_BYTES) continue;
        found.push({ key, absolute });
      }
    };
    visit('');
    const keys = new Set(found.map((f) => f.key));
    const isEncoded = new Set<string>();
    for (const { key, absolute } of found) {
      const extension = path.extname(key);
      if (ENCODED_SUFFIXES[extension] && keys.has(key.slice(0, -extension.length))) {
        isEncoded.add(key);
        continue;
      }
      const { type, compressible } = TYPES[extension.toLowerCase()] ?? UNKNOWN_TYPE;
      entries.set(key, {
        absolute,
        type,
        compressible,
        immutable: HASHED.test(key),
        encoded: new Map(),
      });
    }
    // A compressed form is never served as a file of its own, only as its original's encoding.
    for (const key of isEncoded) {
      const extension = path.extname(key);
      const original = entries.get(key.slice(0, -extension.length));
      if (original?.compressible)
        original.encoded.set(ENCODED_SUFFIXES[extension]!, { absolute: path.join(root, key) });
    }
    return new WebFiles(entries);
  }

  /** The file a decoded relative path ('index.html', 'assets/x.js') names, if any. */
  find(key: string): WebFile | undefined {
    return this.entries.get(key);
  }

  /**
   * The file's bytes in the coding asked for when the build made that form (only where it was
   * smaller), or as they are.
   */
  async body(
    key: string,
    coding: ContentCoding | undefined,
  ): Promise<{ bytes: Buffer; coding?: ContentCoding }> {
    const entry = this.entries.get(key);
    if (!entry) throw new Error('not a listed file');
    const encoded = coding && entry.encoded.get(coding);
    if (encoded) return { bytes: await read(encoded), coding };
    return { bytes: await read(entry) };
  }
}

/** Reads a file once and keeps its bytes; a failed read is tried again next time. */
function read(stored: Stored): Promise<Buffer> {
  stored.bytes ??= readFile(stored.absolute).catch((error: unknown) => {
    stored.bytes = undefined;
    throw error;
  });
  return stored.bytes;
}
