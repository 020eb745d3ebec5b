import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// In production api serves web/dist on the same origin; in dev, Vite proxies the API to it.
const apiOrigin = process.env.CRM_HUB_API_ORIGIN ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [svelte()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    port: 5173,
    proxy: { '/graphql': { target: apiOrigin, ws: true, changeOrigin: true } },
  },
});
