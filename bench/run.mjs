// `npm run bench`: runs every benchmark script in turn; each prints its own table of ratios
// measured in the same run against its references.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const only = process.argv.slice(2);
const all = ['oneshot', 'transfer', 'loadgen', 'shell', 'completion', 'chart', 'table'];
for (const name of only.length ? only : all) {
  const file = new URL(`./${name}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  const r = spawnSync(process.execPath, [file.pathname], { stdio: 'inherit' });
  if (r.status !== 0) console.error(`bench ${name} failed with exit ${r.status}`);
}
