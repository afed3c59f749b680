import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Explicit entries: electron-vite looks in src/ by default; this project keeps the fixed
// electron/ + renderer/ layout.
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: { index: resolve('electron/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload must be one CommonJS file: electron-vite would emit .mjs for a
        // "type": "module" package, which Electron refuses to load with sandbox: true.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      rolldownOptions: {
        input: { index: resolve('renderer/index.html') },
      },
    },
  },
});
