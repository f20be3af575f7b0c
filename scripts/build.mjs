// Two builds of src/cli/main.ts (bin/influxsh picks one per run):
// - dist/main.js: ES modules with code splitting, for every mode; Ink/React (src/ui) are in
//   chunks that only an interactive session or the live load view imports.
// - dist/oneshot.cjs: one CommonJS file for the runs that reach neither the shell nor a
//   subcommand (scripts, -import, --help), with a V8 code cache made by a training run.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinsByRequire, lazyChildProcess, lazySegmenter, notInOneShot, yogaWasmBinary } from './startup-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  keepNames: false,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"', __INFLUXSH_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  ...common,
  // `local` is for benchmarks and tools that need a private influxd without TypeScript.
  // `load-worker` is the entry point of `load --workers` threads.
  entryPoints: { main: 'src/cli/main.ts', local: 'src/connection/local.ts', 'load-worker': 'src/loadgen/load-worker.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  external: ['react-devtools-core'],
  banner: {
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    js: "import { createRequire as __influxshCreateRequire } from 'node:module'; const require = __influxshCreateRequire(import.meta.url);",
  },
  plugins: [yogaWasmBinary, lazySegmenter, lazyChildProcess],
});

const oneShot = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/oneshot.cjs',
  format: 'cjs',
  metafile: true,
  plugins: [notInOneShot, builtinsByRequire, lazySegmenter, lazyChildProcess],
});
if (oneShot.warnings.length) throw new Error('build: the one-shot bundle must build without warnings (import.meta, say, is empty in CommonJS)');
const inputs = Object.keys(oneShot.metafile.inputs).map((p) => relative(root, p));
const heavy = inputs.filter((p) => /^src[\\/]ui[\\/]|node_modules[\\/](ink|react|react-reconciler|yoga-layout)[\\/]/.test(p));
if (heavy.length) throw new Error(`build: the one-shot bundle reaches Ink/React through ${heavy.join(', ')}`);
if (/\bimport\(/.test(readFileSync(new URL('../dist/oneshot.cjs', import.meta.url), 'utf8'))) throw new Error('build: dist/oneshot.cjs has an import(), which would start the ES module loader');

// Training run: a script against a port nothing listens on compiles argument parsing, settings,
// the runner and the request path; bin/influxsh writes what V8 compiled at exit.
const cache = fileURLToPath(new URL(`../dist/oneshot-${process.version}-${process.arch}.cache`, import.meta.url));
const training = spawnSync(process.execPath, ['bin/influxsh', '-host', '127.0.0.1', '-port', '1', '-format', 'column', '-execute', 'SHOW DATABASES'], {
  cwd: root,
  env: { ...process.env, INFLUXSH_WRITE_CODE_CACHE: cache },
  encoding: 'utf8',
});
if (training.status !== 1 || !/Failed to connect/.test(training.stderr)) throw new Error(`build: the code-cache training run did not fail as expected: ${training.stderr}`);
if (!(statSync(cache).size > 0)) throw new Error('build: no code cache written');
