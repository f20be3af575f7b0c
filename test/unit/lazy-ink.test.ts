// One-shot runs must never load React, Ink or yoga: walk the static imports of the ES module
// build from its entries (dist/main.js, dist/shell-editor.js) and check none of them reaches the
// chunk that holds Ink, and check the CommonJS bundle that bin/influxsh loads for the root command
// (scripts, and the shell until its prompt) does not contain them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function staticImports(file: string): string[] {
  const src = readFileSync(join(dist, file), 'utf8');
  // Static imports only (`import{a}from"./x.js"`, minified or not); import("./x.js") has a '('.
  return [...src.matchAll(/\bimport\s*(?:\{[^}]*\}\s*from\s*|[\w$*\s,]+\s+from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!);
}

describe('bundle layout', () => {
  it('keeps React, Ink and yoga out of everything main.js loads statically', () => {
    // Found by what survives minifying: yoga's wasm (base64 of the wasm magic) and React's element tag.
    const seen = new Set<string>();
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const g of staticImports(f)) walk(g);
    };
    walk('main.js');
    walk('shell-editor.js');
    expect(seen.size).toBeGreaterThan(2);
    const inkChunks = readdirSync(dist).filter((f) => f.endsWith('.js') && /AGFzbQ|react\.transitional\.element/.test(readFileSync(join(dist, f), 'utf8')));
    expect(inkChunks.length).toBeGreaterThan(0);
    for (const f of seen) expect(inkChunks).not.toContain(f);
    // And the shell's editor reaches it only through import().
    expect(readFileSync(join(dist, 'shell-editor.js'), 'utf8')).toMatch(/import\(["']\.\/mount-[\w-]+\.js["']\)/);
  });

  it('keeps them out of the one-shot CommonJS bundle altogether', () => {
    const oneShot = readFileSync(join(dist, 'oneshot.cjs'), 'utf8');
    expect(oneShot).toContain('SHOW DATABASES');
    expect(oneShot).not.toMatch(/AGFzbQ|react\.transitional\.element/);
  });
});
