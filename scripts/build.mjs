// Two builds of src/cli/main.ts (bin/influxsh picks one per run):
// - dist/oneshot.cjs: one CommonJS file for every run of the root command (scripts, -import,
//   --help, and the shell up to its first prompt), with a V8 code cache made by a training run.
//   The shell's editor (Ink) is not in it: the bundle hands over to dist/shell-editor.js.
// - dist/main.js: ES modules with code splitting, for the subcommands; Ink/React (src/ui) are in
//   chunks that only the shell's editor or the live load view imports.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeStamp } from './build-stamp.mjs';
import { builtinImportsToRequire, builtinsByRequire, lazyChildProcess, lazySegmenter, notInOneShot, yogaWasmBinary } from './startup-plugins.mjs';

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
const esm = await build({
  ...common,
  // `local` is for benchmarks and tools that need a private influxd without TypeScript.
  // `load-worker` is the entry point of `load --workers` threads.
  entryPoints: { main: 'src/cli/main.ts', 'shell-editor': 'src/cli/shell-editor.ts', local: 'src/connection/local.ts', 'load-worker': 'src/loadgen/load-worker.ts' },
  outdir: 'dist',
  splitting: true,
  format: 'esm',
  external: ['react-devtools-core'],
  banner: {
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    js: "import { createRequire as __influxshCreateRequire } from 'node:module'; const require = __influxshCreateRequire(import.meta.url);",
  },
  plugins: [yogaWasmBinary, lazySegmenter, lazyChildProcess],
  metafile: true,
});
for (const [file, out] of Object.entries(esm.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const builtins = out.imports.filter((i) => i.kind === 'import-statement' && i.external && i.path.startsWith('node:')).length;
  writeFileSync(file, builtinImportsToRequire(readFileSync(file, 'utf8'), file, builtins));
}

const oneShot = await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/oneshot.cjs',
  format: 'cjs',
  // bin/influxsh compiles the file as it is, one function expression taking what a CommonJS
  // module gets: no wrapped copy of a quarter-megabyte string to build at each start.
  banner: { js: '(function (exports, require, module, __filename, __dirname, __influxshLoadEsm) {' },
  footer: { js: '})' },
  metafile: true,
  plugins: [notInOneShot, builtinsByRequire, lazySegmenter, lazyChildProcess],
});
if (oneShot.warnings.length) throw new Error('build: the one-shot bundle must build without warnings (import.meta, say, is empty in CommonJS)');
const inputs = Object.keys(oneShot.metafile.inputs).map((p) => relative(root, p));
const heavy = inputs.filter((p) => /^src[\\/]ui[\\/]|node_modules[\\/](ink|react|react-reconciler|yoga-layout)[\\/]/.test(p));
if (heavy.length) throw new Error(`build: the one-shot bundle reaches Ink/React through ${heavy.join(', ')}`);
const oneShotSource = readFileSync(new URL('../dist/oneshot.cjs', import.meta.url), 'utf8');
if (/\bimport\(/.test(oneShotSource)) throw new Error('build: dist/oneshot.cjs has an import(), which would start the ES module loader');
// bin/influxsh reads it as latin1, a copy with no UTF-8 decoding, into a one-byte string; esbuild
// escapes non-ASCII text except in regular expressions, which must use \u escapes.
const nonAscii = /[^\x00-\x7f]/.exec(oneShotSource);
if (nonAscii) throw new Error(`build: dist/oneshot.cjs is not ASCII: ${JSON.stringify(oneShotSource.slice(Math.max(0, nonAscii.index - 40), nonAscii.index + 10))}; write \\u escapes in the source`);

// What bin/influxsh reads to pick a build: the subcommands and one-shot options of the program.
const routesGen = fileURLToPath(new URL('../dist/routes-gen.cjs', import.meta.url));
await build({ ...common, entryPoints: ['scripts/routes-entry.ts'], outfile: routesGen, format: 'cjs', sourcemap: false, plugins: [notInOneShot, builtinsByRequire] });
const routes = spawnSync(process.execPath, [routesGen], { cwd: root, encoding: 'utf8' });
rmSync(routesGen);
if (routes.status !== 0) throw new Error(`build: could not list the program's routes: ${routes.stderr}`);
writeFileSync(new URL('../dist/routes.json', import.meta.url), routes.stdout);

// Training run for the one-shot build's V8 code cache (bin/influxsh writes what V8 compiled at
// exit): a script against a port nothing listens on compiles argument parsing, settings, the
// runner and the request path.
const cache = fileURLToPath(new URL(`../dist/oneshot-${process.version}-${process.arch}.cache`, import.meta.url));
const training = spawnSync(process.execPath, ['bin/influxsh', '-host', '127.0.0.1', '-port', '1', '-format', 'column', '-execute', 'SHOW DATABASES'], {
  cwd: root,
  env: { ...process.env, INFLUXSH_WRITE_CODE_CACHE: cache },
  encoding: 'utf8',
});
if (training.status !== 1 || !/Failed to connect/.test(training.stderr)) throw new Error(`build: the training run did not fail as expected: ${training.stderr}`);
if (!(statSync(cache).size > 0)) throw new Error('build: no code cache written');
writeStamp();
