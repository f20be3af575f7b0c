// Each build-time patch of a dependency (scripts/startup-plugins.mjs) must fail the build when the
// source it expects has changed, instead of quietly leaving the slow code in.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const pluginsFile = new URL('../../scripts/startup-plugins.mjs', import.meta.url).href;
const plugins = (await import(pluginsFile)) as Record<string, Plugin>;

/** Builds a fake dependency file at `rel` (a path the plugin's filter matches) holding `source`. */
async function buildWith(plugin: Plugin, rel: string, source: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'influxsh-plugin-'));
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, source);
  const r = await build({ entryPoints: [file], bundle: false, write: false, format: 'esm', logLevel: 'silent', plugins: [plugin] });
  return r.outputFiles[0]!.text;
}

describe('dependency patches at build time', () => {
  it('string-width: patches the known shape, fails the build on another', async () => {
    const known = 'const segmenter = new Intl.Segmenter();\nconst zeroRegex = /a/v;\nexport default (s) => [...segmenter.segment(s)].length + (zeroRegex.test(s) ? 1 : 0);\n';
    expect(await buildWith(plugins.lazySegmenter!, 'string-width/index.js', known)).toContain('segmenterInstance');
    await expect(buildWith(plugins.lazySegmenter!, 'string-width/index.js', 'export const segmenter = new Intl.Segmenter("en");\n')).rejects.toThrow(/lazy-intl-segmenter: .* changed/);
  });

  it('commander: fails the build when child_process is used another way', async () => {
    await expect(buildWith(plugins.lazyChildProcess!, 'commander/lib/command.js', "const childProcess = require('node:child_process');\nchildProcess.fork('x');\n")).rejects.toThrow(
      /lazy-child-process: commander changed/,
    );
  });

  it('yoga-layout: fails the build when its entry or its wasm payload moved', async () => {
    await expect(
      buildWith(plugins.yogaWasmBinary!, 'yoga-layout/dist/src/index.js', "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';\nexport default await loadYoga({ other: 1 });\n"),
    ).rejects.toThrow(/yoga-wasm-binary: .* changed/);
    await expect(buildWith(plugins.yogaWasmBinary!, 'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js', 'export default () => fetch("x.wasm");\n')).rejects.toThrow(/wasm payload not found/);
  });
});
