import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

// radstream's default web.address and web.port; set RADSTREAM_BACKEND_URL
// when the server listens elsewhere.
const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8000';

// The C++ build embeds every file of dist/ and serves it under `/`, so the
// page and its assets must load from that origin alone.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, '.', 'RADSTREAM_');
  const backendUrl = env.RADSTREAM_BACKEND_URL ?? DEFAULT_BACKEND_URL;
  const backendProxy = {
    '/api': backendUrl,
    '/health': backendUrl,
    '/ws': { target: backendUrl, ws: true },
  };

  return {
    base: '/',
    esbuild: {
      // React 17+ JSX transform without @vitejs/plugin-react.
      jsx: 'automatic',
    },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // maplibre-gl (about 1 MB minified) and the bundled 1:50m countries
      // (about 0.75 MB) make one chunk of about 2 MB, so the default 500 kB
      // warning would fire on every build.
      chunkSizeWarningLimit: 3000,
    },
    // `npm run dev` and `npm run preview` (which serves dist/) forward the
    // live feed and the API to a running radstream, so the map can be
    // developed against real data.
    server: {
      host: '127.0.0.1',
      proxy: backendProxy,
    },
    preview: {
      host: '127.0.0.1',
      proxy: backendProxy,
    },
    test: {
      environment: 'node',
      include: ['src/**/*.test.ts'],
    },
  };
});
