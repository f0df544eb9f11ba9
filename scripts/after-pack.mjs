// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses in the packaged
// executable, before electron-builder signs it. Fuses are bits compiled into the binary that turn
// off ways to make a shipped app run code it does not contain.
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * The fuse wire for one platform. Every fuse is set explicitly (strictlyRequireAllFuses), so an
 * Electron upgrade that adds a fuse fails the packaging until someone decides its value.
 */
export function fuseConfig(platform) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // Flipping fuses invalidates the ad-hoc signature Apple Silicon needs; electron-builder signs
    // again afterwards, this keeps the binary runnable in between.
    resetAdHocDarwinSignature: platform === 'darwin',
    // ELECTRON_RUN_AS_NODE would turn the app into a plain Node interpreter.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS=--require ... and --inspect would inject code into the main process.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // electron-builder embeds app.asar's hash on macOS (Info.plist) and Windows (a resource);
    // Linux builds have no place for it, so Electron does not support the check there.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]:
      platform === 'darwin' || platform === 'win32',
    // No resources/app folder next to the asar can replace the app.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The page is served as app://, never from file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    // Electron's default: WebAssembly (argon2 on the server's hashing threads) runs with its out-of-bounds traps.
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

/** The packaged executable, as electron-builder names it on each platform. */
export function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    default:
      // linux.executableName in electron-builder.yml.
      return path.join(appOutDir, packager.executableName);
  }
}

export default async function afterPack(context, flip = flipFuses) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  await flip(executablePath(context), fuseConfig(platform));
}
