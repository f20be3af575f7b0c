// esbuild plugins that take work off the start-up path (see scripts/build.mjs).
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
    build.onLoad({ filter: /yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, async () => ({
      contents: [
        "import loadYoga, { yogaWasmBase64 } from '../binaries/yoga-wasm-base64-esm.js';",
        "import wrapAssembly from './wrapAssembly.js';",
        "const Yoga = wrapAssembly(await loadYoga({ wasmBinary: Buffer.from(yogaWasmBase64, 'base64') }));",
        'export default Yoga;',
        "export * from './generated/YGEnums.js';",
      ].join('\n'),
      loader: 'js',
      resolveDir: new URL('../node_modules/yoga-layout/dist/src/', import.meta.url).pathname,
    }));
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
      const m = /^const (\w+) = new Intl\.Segmenter\(([^)]*)\);$/m.exec(src);
      if (!m) return undefined;
      const [line, name, params] = m;
      // Only rewrite when the segmenter is used for .segment() and nothing else.
      const code = src.replace(/\/\/.*$/gm, '');
      const uses = code.split(name).length - 1;
      const segmentUses = code.split(`${name}.segment(`).length - 1;
      if (uses !== segmentUses + 1) return undefined;
      const lazy = `let ${name}Instance; const ${name} = { segment: (text) => (${name}Instance ??= new Intl.Segmenter(${params})).segment(text) };`;
      let out = src.replace(line, lazy);
      // `const fooRegex = /…/flags;` → a getter, and every use `fooRegex` → `fooRegex()`.
      for (const r of [...out.matchAll(/^const (\w+Regex) = (\/.+\/[a-z]*);$/gm)]) {
        const [decl, id, literal] = r;
        out = out.replace(decl, `let ${id}Instance; const ${id}Get = () => (${id}Instance ??= ${literal});`);
        out = out.replace(new RegExp(`\\b${id}\\b(?!Instance|Get)`, 'g'), `${id}Get()`);
      }
      return { contents: out, loader: 'js' };
    });
  },
};
