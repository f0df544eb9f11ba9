import path from 'node:path';

/** Where a run of the app keeps its profile, and whether it acts as the installed app. */
export interface AppProfile {
  /** The userData folder to use instead of Electron's default, or null for the default. */
  userData: string | null;
  /** Register the localchat:// scheme with the OS (and take links as the installed app). */
  registerScheme: boolean;
  /** Hold the single-instance lock (a second start hands over its link and quits). */
  singleInstance: boolean;
}

export interface ProfileFacts {
  isPackaged: boolean;
  selfTest: boolean;
  /** app.getPath('appData') */
  appData: string;
  /** app.getName() */
  appName: string;
  /** Makes a throwaway folder (the self-test's profile). */
  makeTemporary: () => string;
}

/**
 * - The installed app: Electron's default profile, the scheme, one instance.
 * - `--self-test`: a throwaway profile beside a running app; no lock, no scheme.
 * - A run from source (`npm start`, `electron .`): its own profile and lock, so it never hands
 *   off to an installed LocalChat or shares its kept certificate, and no scheme: registering
 *   would make the bare Electron binary the OS's handler (on Windows in HKCU), outliving the run.
 */
export function appProfile(facts: ProfileFacts): AppProfile {
  if (facts.selfTest)
    return { userData: facts.makeTemporary(), registerScheme: false, singleInstance: false };
  if (!facts.isPackaged) {
    return {
      userData: path.join(facts.appData, `${facts.appName} (development)`),
      registerScheme: false,
      singleInstance: true,
    };
  }
  return { userData: null, registerScheme: true, singleInstance: true };
}
