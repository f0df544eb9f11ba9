import packageJson from '../../../package.json' with { type: 'json' };

/** What serverInfo announces. */
export const SERVER_NAME = 'localchat-desktop';
export const SERVER_VERSION: string = packageJson.version;
