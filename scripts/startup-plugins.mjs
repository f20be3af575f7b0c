// esbuild plugins that take work off the start-up path (see scripts/build.mjs). Each patch of a
// dependency throws, failing the build, when the source it expects is no longer there.
// esbuild plugin: yoga-layout ships its wasm as a data: URL that it loads through fetch(), which
// pulls in undici and decodes the URL in JavaScript (~60 ms at every shell start). Hand the
// bytes to Emscripten as `wasmBinary` instead, decoded natively with Buffer.
import { readFile } from 'node:fs/promises';

const PREFIX = 'data:application/octet-stream;base64,';

export const yogaWasmBinary = {
  name: 'yoga-wasm-binary',
  setup(build) {
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      // The first mention of the prefix is the isDataURI() test; the payload is the assignment.
      const start = src.indexOf(`="${PREFIX}`) + 2;
      const end = src.indexOf('"', start);
      if (start < 2 || end < 0) throw new Error('yoga-wasm-binary: wasm payload not found; update the plugin for this yoga-layout version');
      const b64 = src.slice(start + PREFIX.length, end);
      const contents = src.slice(0, start + PREFIX.length) + src.slice(end) + `\nexport const yogaWasmBase64 = ${JSON.stringify(b64)};\n`;
      return { contents, loader: 'js' };
    });
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, async (args) => {
      // The replacement below is this file with one call changed: it must still be this file.
      const code = (await readFile(args.path, 'utf8'))
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .replace(/["']/g, "'")
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const expected = [
        "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
        "import wrapAssembly from './wrapAssembly.js';",
        'const Yoga = wrapAssembly(await loadYoga());',
        'export default Yoga;',
        "export * from './generated/YGEnums.js';",
      ];
      if (code.join('\n') !== expected.join('\n')) throw new Error(`yoga-wasm-binary: ${args.path} changed; update the plugin for this yoga-layout version`);
      return {
        contents: [
          "import loadYoga, { yogaWasmBase64 } from '../binaries/yoga-wasm-base64-esm.js';",
          "import wrapAssembly from './wrapAssembly.js';",
          "const Yoga = wrapAssembly(await loadYoga({ wasmBinary: Buffer.from(yogaWasmBase64, 'base64') }));",
          'export default Yoga;',
          "export * from './generated/YGEnums.js';",
        ].join('\n'),
        loader: 'js',
        resolveDir: new URL('../node_modules/yoga-layout/dist/src/', import.meta.url).pathname,
      };
    });
  },
};

// esbuild plugin: string-width builds an Intl.Segmenter and five Unicode-property regexes when
// it is imported. The segmenter loads ICU's segmentation data (40-90 ms) and the /v regexes
// take another ~20 ms, on every start, although almost all text is ASCII and never reaches
// them. Build each on first use instead.
export const lazySegmenter = {
  name: 'lazy-intl-segmenter',
  setup(build) {
    build.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const changed = () => new Error(`lazy-intl-segmenter: ${args.path} changed; update the plugin for this string-width version`);
      // Older string-width (4.x, under cli-table3) builds no segmenter: nothing to defer there.
      if (!src.includes('Intl.Segmenter')) return undefined;
      const m = /^const (\w+) = new Intl\.Segmenter\(([^)]*)\);$/m.exec(src);
      if (!m) throw changed();
      const [line, name, params] = m;
      // Only rewrite when the segmenter is used for .segment() and nothing else.
      const code = src.replace(/\/\/.*$/gm, '');
      const uses = code.split(name).length - 1;
      const segmentUses = code.split(`${name}.segment(`).length - 1;
      if (uses !== segmentUses + 1) throw changed();
      const lazy = `let ${name}Instance; const ${name} = { segment: (text) => (${name}Instance ??= new Intl.Segmenter(${params})).segment(text) };`;
      let out = src.replace(line, lazy);
      // `const fooRegex = /…/flags;` → a getter, and every use `fooRegex` → `fooRegex()`.
      const regexes = [...out.matchAll(/^const (\w+Regex) = (\/.+\/[a-z]*);$/gm)];
      if (regexes.length === 0) throw changed();
      for (const r of regexes) {
        const [decl, id, literal] = r;
        out = out.replace(decl, `let ${id}Instance; const ${id}Get = () => (${id}Instance ??= ${literal});`);
        out = out.replace(new RegExp(`\\b${id}\\b(?!Instance|Get)`, 'g'), `${id}Get()`);
      }
      return { contents: out, loader: 'js' };
    });
  },
};

// esbuild plugin: commander requires child_process when it loads, only to spawn stand-alone
// executable subcommands (influxsh has none). child_process drags in dgram, net's socket list
// and more; require it when a spawn happens instead.
export const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const line = "const childProcess = require('node:child_process');";
      const code = src.replace(/\/\/.*$/gm, '');
      const uses = code.split('childProcess').length - 1;
      const spawns = code.split('childProcess.spawn(').length - 1;
      if (!src.includes(line) || uses !== spawns + 1) throw new Error('lazy-child-process: commander changed; update the plugin for this commander version');
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: src.replace(line, lazy), loader: 'js' };
    });
  },
};

// esbuild plugin for dist/oneshot.cjs: the modules that bin/influxsh never lets this build reach
// (the subcommands' actions) stay out of it. Each import() of one becomes a module that fails
// loudly, which only a wrong routing in bin/influxsh could load. The shell's editor (Ink) is
// handed over instead: its import() becomes a call into the ES module build's entry
// dist/shell-editor.js, through the loader bin/influxsh passes to the bundle.
const HANDED_OVER = [{ importer: 'src/cli/subcommands.ts' }, { importer: 'src/cli/traffic-subcommands.ts' }];
const TO_ES_MODULES = [{ importer: 'src/cli/root.ts', path: './shell-editor.js', entry: 'shell-editor.js', exports: ['runEditor'] }];

export const notInOneShot = {
  name: 'not-in-oneshot',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const importer = args.importer.replaceAll('\\', '/');
      const esm = TO_ES_MODULES.find((x) => importer.endsWith(`/${x.importer}`) && x.path === args.path);
      if (esm) return { path: esm.entry, namespace: 'to-es-modules', pluginData: esm };
      const h = HANDED_OVER.find((x) => importer.endsWith(`/${x.importer}`) && (x.path === undefined || x.path === args.path));
      return h && { path: `${args.path} (imported by ${h.importer})`, namespace: 'not-in-oneshot' };
    });
    build.onLoad({ filter: /.*/, namespace: 'not-in-oneshot' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`internal error: dist/oneshot.cjs does not contain ${args.path}; bin/influxsh should have loaded dist/main.js for this run`)});`,
      loader: 'js',
    }));
    // __influxshLoadEsm is a parameter of the function the bundle is (see the build's banner).
    build.onLoad({ filter: /.*/, namespace: 'to-es-modules' }, (args) => ({
      contents: args.pluginData.exports.map((name) => `export const ${name} = async (...a) => (await __influxshLoadEsm(${JSON.stringify(args.pluginData.entry)})).${name}(...a);`).join('\n'),
      loader: 'js',
    }));
  },
};

// esbuild plugin for dist/oneshot.cjs: `await import('node:https')` would stay an import() in
// CommonJS output, which starts Node's ES module loader (and needs a callback in vm.Script).
// Serve Node built-ins that are imported dynamically through require() instead.
export const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-by-require' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// After the ES module build: an ES module that imports a Node built-in (`import{readFileSync as a}
// from"node:fs"`) makes Node build that built-in's ES module facade, which reads every export once,
// lazy getters included: node:fs then loads its streams, node:util its TextDecoder, diff and colour
// code. Before the shell's first prompt that is eight built-ins. Each such import in a chunk becomes
// `const{readFileSync:a}=require("node:fs")` on the banner's line (the banner defines require), and
// the import is blanked with as many spaces, so every column the source map points at stays where
// it was. A built-in's CommonJS exports are what its facade's named exports read; a default or
// namespace import gets the exports object, which is what the facade's default is. `expected` is
// the number of such imports esbuild's metafile lists for the chunk: a mismatch fails the build.
const BUILTIN_IMPORT = /(?<=^|[;}])import(?:\s*([\w$]+)\s*,?)?\s*(?:\*\s*as\s+([\w$]+)|\{([\w$, ]*)\})?\s*from\s*"(node:[\w/]+)";/g;

export function builtinImportsToRequire(code, file, expected) {
  const nl = code.indexOf('\n');
  if (nl < 0) throw new Error(`builtin-imports: ${file} has no banner line`);
  const requires = [];
  let found = 0;
  const body = code.slice(nl + 1).replace(BUILTIN_IMPORT, (text, def, ns, named, from) => {
    found++;
    const names = [];
    for (const spec of (named ?? '').split(',').filter(Boolean)) {
      const [imported, local = imported] = spec.trim().split(/\s+as\s+/);
      if (imported === 'default') requires.push(`const ${local}=require("${from}");`);
      else names.push(imported === local ? imported : `${imported}:${local}`);
    }
    for (const whole of [def, ns]) if (whole) requires.push(`const ${whole}=require("${from}");`);
    if (names.length) requires.push(`const{${names.join(',')}}=require("${from}");`);
    return ' '.repeat(text.length);
  });
  if (found !== expected) throw new Error(`builtin-imports: ${file} has ${expected} imports of Node built-ins, ${found} rewritten; update scripts/startup-plugins.mjs`);
  return code.slice(0, nl) + requires.join('') + '\n' + body;
}
