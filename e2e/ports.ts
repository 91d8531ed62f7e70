/** `vite preview` sends COOP/COEP (vite.config.ts); the plain server (scripts/serve-dist.mjs) sends neither. */
export const PREVIEW_PORT = 4310;
export const PLAIN_PORT = 4311;
