// npm's `prepare` (npm install from a clone, a folder or a git URL; npm pack): builds dist/ unless
// it is already built from these sources. A folder installed with `npm install -g .` has no
// node_modules of its own, so the build tools are installed first (from the lockfile, no scripts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// A global install passes its settings down (npm_config_global, _prefix…); the build tools go into
// this folder, with the dev dependencies.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(global|prefix|location|omit|include|production|only|dev|install_links|allow_scripts)$/i.test(k)));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`influxsh prepare: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
};

if (spawnSync(process.execPath, ['scripts/build-stamp.mjs', '--check'], { cwd: root, stdio: 'ignore' }).status === 0) process.exit(0);
if (!existsSync(`${root}/node_modules/esbuild/package.json`)) run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
run(process.execPath, ['scripts/build.mjs']);
