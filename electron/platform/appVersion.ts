import pkg from '../../package.json' with { type: 'json' };

/** The version in package.json, recorded with every migration and shown on the home screen. */
export const appVersion: string = pkg.version;
export const packageName: string = pkg.name;
