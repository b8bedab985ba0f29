import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Resolved from this file, not the cwd: `npm run build:ui` runs from the repo root, editors from ui/.
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);
const workstation = 'http://127.0.0.1:8720';

export default defineConfig({
  root,
  // No svelte.config.js: Svelte 5 understands TypeScript in <script lang="ts"> without a preprocessor.
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    // Dock PCs run whatever Chromium the distribution ships; no need to transpile for old browsers.
    target: 'es2022',
  },
  server: {
    // `vite --config ui/vite.config.ts` next to `npm run dev`: the UI reloads, the API stays real.
    proxy: {
      '/api': { target: workstation, changeOrigin: false },
      '/socket.io': { target: workstation, ws: true },
    },
  },
});
