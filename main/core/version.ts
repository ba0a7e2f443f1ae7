import pkg from '../../package.json';

/** The product name shown to people. */
export const APP_NAME = 'VT Code Desktop';
/** The version from package.json, the one source of truth. */
export const APP_VERSION: string = pkg.version;
