// The build's source hash: scripts/build.mjs writes it to dist/build-stamp.json, and the test
// setup checks it (`--check`) so e2e tests, which run bin/influxsh → dist/, never test a stale build.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(root, 'dist', 'build-stamp.json');
// What goes into dist/: the sources, the build scripts, and the dependency versions.
const INPUTS = ['src', 'scripts/build.mjs', 'scripts/startup-plugins.mjs', 'scripts/routes-entry.ts', 'package.json', 'package-lock.json'];

function files(path) {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return [path];
  }
  return entries.flatMap((e) => files(join(path, e.name)));
}

export function sourceHash() {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap((p) => files(join(root, p))).sort())
    h.update(`${relative(root, f)}\0`)
      .update(readFileSync(f))
      .update('\0');
  return h.digest('hex');
}

export function writeStamp() {
  writeFileSync(STAMP, JSON.stringify({ sourceHash: sourceHash() }) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--check') {
  let built;
  try {
    built = JSON.parse(readFileSync(STAMP, 'utf8')).sourceHash;
  } catch {
    built = undefined;
  }
  if (built !== sourceHash()) {
    console.error(built ? 'dist/ was built from other sources than these: run npm run build' : 'dist/ has no build stamp: run npm run build');
    process.exit(1);
  }
}
