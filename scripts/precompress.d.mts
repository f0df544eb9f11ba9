export const COMPRESSIBLE: string[];
export const MIN_BYTES: number;
/** Writes the .br and .gz forms of every compressible file under `dir`; returns how many. */
export function precompress(dir: string): Promise<number>;
