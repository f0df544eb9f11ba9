/** Path of the Electron executable in ROOT/node_modules/electron, or null if never downloaded. */
export function findElectronBinary(root: string): string | null;
/** One line on why node_modules/electron/install.js failed, from its output. */
export function describeDownloadFailure(output: string): string;
/** This environment without ELECTRON_RUN_AS_NODE, to start Electron as Electron. */
export function electronEnvironment(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
/** Bytes of an Electron download started at SINCE (ms), from @electron/get's temp folder. */
export function downloadedBytes(since: number, tmp?: string): number;
