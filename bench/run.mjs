// `npm run bench`: runs every benchmark script in turn; each prints its own table of ratios
// measured in the same run against its references. The start-up benchmarks (oneshot, shell) run
// again on each other supported Node version (from the npm registry, cached; see
// scripts/node-from-npm.mjs), start-up only; every table names its Node version.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const OTHER_NODES = ['24', '22'];
const PER_NODE = new Set(['oneshot', 'shell']);
const only = process.argv.slice(2);
const all = ['oneshot', 'transfer', 'loadgen', 'shell', 'completion', 'chart', 'table'];

const others = [];
for (const major of OTHER_NODES) {
  if (process.version.startsWith(`v${major}.`)) continue;
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/node-from-npm.mjs', import.meta.url)), major], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status === 0) others.push(r.stdout.trim());
  else console.error(`bench: no Node ${major}, so no start-up figures for it`);
}

for (const name of only.length ? only : all) {
  const file = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
  if (!existsSync(file)) continue;
  const runs = [{ node: process.execPath, env: {} }];
  if (PER_NODE.has(name)) for (const node of others) runs.push({ node, env: { BENCH_STARTUP_ONLY: '1' } });
  for (const { node, env } of runs) {
    // PATH first names this Node, for bin/influxsh's #! line.
    const r = spawnSync(node, [file], { stdio: 'inherit', env: { ...process.env, ...env, PATH: `${dirname(node)}${delimiter}${process.env.PATH}` } });
    if (r.status !== 0) console.error(`bench ${name} on ${node} failed with exit ${r.status}`);
  }
}
