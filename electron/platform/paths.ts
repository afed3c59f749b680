import { fileURLToPath } from 'node:url';

/**
 * The project root, found from this file's location. Works from the TypeScript sources (tsx,
 * Vitest: electron/platform/) and is not used by the bundled Electron main process, which
 * locates its files relative to out/main instead.
 */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const builtRendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

/** ../shared/data beside the repository: real files from other tools, read-only. */
export const sharedDataDir = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
