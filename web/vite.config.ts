// Vite build of the web application. `npm run build` writes web/dist/: index.html and
// content-hashed files under assets/ (served with a year-long cache), plus a .gz beside
// every compressible file over 1 KiB, which the server sends to clients that accept gzip.
// `npm run dev` serves the app with hot reload and forwards the API to a running server
// (HB_SERVER, default http://127.0.0.1:8080).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

function gzipFiles(): Plugin {
  let outDir = 'dist';
  return {
    name: 'hb-gzip',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) {
            walk(path);
          } else if (/\.(js|css|html|json|svg|txt)$/.test(name) && statSync(path).size > 1024) {
            writeFileSync(path + '.gz', gzipSync(readFileSync(path), { level: 9 }));
          }
        }
      };
      walk(outDir);
    },
  };
}

const server = process.env.HB_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react(), gzipFiles()],
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        // one province's districts and communes per chunk: units-11-<hash>.js
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId?.includes('/generated/admin-units/') ? 'assets/units-[name]-[hash].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/fhir', '/auth', '/api', '/admin', '/.well-known', '/health', '/config.json'].map((p) => [p, server]),
    ),
  },
});
