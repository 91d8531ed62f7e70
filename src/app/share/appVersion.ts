/** The app's version (package.json's, put in by Vite): what share links carry. */
declare const __APP_VERSION__: string;

export const APP_VERSION: string = __APP_VERSION__;
