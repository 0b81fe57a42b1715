import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where the dev server and `vite preview` forward API calls; the browser only ever talks to this origin. */
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';
const proxy = {
  '/api': { target: apiUrl, changeOrigin: true },
  '/metrics': { target: apiUrl, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      // The console reads the lead's shared tables (roles, wire shapes) from source, like the API does.
      '@coinops/contracts': fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url)),
    },
  },
  server: { host: process.env.CONSOLE_HOST ?? '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: process.env.CONSOLE_HOST ?? '127.0.0.1', port: 4173, strictPort: true, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // react-admin + MUI are most of the bytes and change rarely: separate chunks stay cached across deploys.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'mui', test: /node_modules[\\/]@mui[\\/]/, priority: 20 },
            { name: 'react-admin', test: /node_modules[\\/](react-admin|ra-[a-z-]+)[\\/]/, priority: 15 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
