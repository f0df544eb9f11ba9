/** Path of the Electron executable in ROOT/node_modules/electron, or null if never downloaded. */
export function findElectronBinary(root: string): string | null;
