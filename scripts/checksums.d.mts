export const INSTALLER_EXTENSIONS: string[];
/** The checksum lines (`<sha256 hex>  <name>`) for DIR's installers, sorted by name. */
export function checksumLines(dir: string): Promise<string[]>;
