import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appProfile, type ProfileFacts } from './app-profile';

const facts = (overrides: Partial<ProfileFacts>): ProfileFacts => ({
  isPackaged: true,
  selfTest: false,
  appData: '/home/ana/.config',
  appName: 'LocalChat Desktop',
  makeTemporary: () => '/tmp/localchat-self-test-x',
  ...overrides,
});

describe('the profile a run of the app uses', () => {
  it('installed: the default profile, registers localchat://, one instance', () => {
    expect(appProfile(facts({}))).toEqual({
      userData: null,
      registerScheme: true,
      singleInstance: true,
    });
  });

  it('from source: its own profile and lock, and no scheme registration', () => {
    expect(appProfile(facts({ isPackaged: false }))).toEqual({
      userData: path.join('/home/ana/.config', 'LocalChat Desktop (development)'),
      registerScheme: false,
      singleInstance: true,
    });
  });

  it('self-test, installed or not: a throwaway profile, no lock, no scheme', () => {
    for (const isPackaged of [true, false])
      expect(appProfile(facts({ isPackaged, selfTest: true }))).toEqual({
        userData: '/tmp/localchat-self-test-x',
        registerScheme: false,
        singleInstance: false,
      });
  });
});
