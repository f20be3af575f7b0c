// Bundles src/ into dist/ with code splitting, so the one-shot path loads only what it imports
// and Ink/React (src/ui) arrive in a separate chunk that only an interactive session pulls in.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // `local` is for benchmarks and tools that need a private influxd without TypeScript.
  entryPoints: { main: 'src/cli/main.ts', local: 'src/connection/local.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  keepNames: false,
  legalComments: 'none',
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: {
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    js: "import { createRequire as __influxshCreateRequire } from 'node:module'; const require = __influxshCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
