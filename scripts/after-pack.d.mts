import type { FuseConfig } from '@electron/fuses';

export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

export function fuseConfig(platform: string): FuseConfig;
export function executablePath(context: AfterPackContextLike): string;
export default function afterPack(
  context: AfterPackContextLike,
  flip?: (executable: string, config: FuseConfig) => Promise<unknown>,
): Promise<void>;
