import { readFileSync } from 'node:fs';

/**
 * Every Node.js addon built against V8 (not N-API) exports `node_register_module_v<ABI>`, the
 * NODE_MODULE_VERSION it was compiled for; Node and Electron refuse to load any other. The name
 * is plain text in the symbol tables of ELF, Mach-O (with a leading `_`) and PE export tables
 * alike, so a scan for it reads the ABI of any platform's addon without loading it.
 */
const REGISTER_SYMBOL = Buffer.from('node_register_module_v', 'latin1');

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** The ABI an addon's bytes were built for, or null when they name none or several. */
export function abiOfAddon(bytes: Buffer): string | null {
  const found = new Set<string>();
  for (
    let at = bytes.indexOf(REGISTER_SYMBOL);
    at !== -1;
    at = bytes.indexOf(REGISTER_SYMBOL, at + 1)
  ) {
    const start = at + REGISTER_SYMBOL.length;
    let end = start;
    while (isDigit(bytes[end])) end++;
    if (end > start) found.add(bytes.toString('latin1', start, end));
  }
  return found.size === 1 ? [...found][0]! : null;
}

export type AddonAbi =
  | { state: 'missing' }
  /** The file names no single ABI (an N-API addon, or not an addon at all). */
  | { state: 'unknown' }
  | { state: 'built'; abi: string };

/** The ABI of the addon at FILE, read from its bytes. */
export function readAddonAbi(file: string): AddonAbi {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { state: 'missing' };
  }
  const abi = abiOfAddon(bytes);
  return abi === null ? { state: 'unknown' } : { state: 'built', abi };
}
