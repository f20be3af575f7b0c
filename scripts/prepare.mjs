// npm's `prepare` (npm install from a clone, a folder or a git URL; npm pack): builds dist/ unless
// it is already built from these sources. A folder installed with `npm install -g .` has no
// node_modules of its own, so the build tools are installed first (from the lockfile, no scripts).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, realpathSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
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

if (spawnSync(process.execPath, ['scripts/build-stamp.mjs', '--check'], { cwd: root, stdio: 'ignore' }).status !== 0) {
  if (!existsSync(`${root}/node_modules/esbuild/package.json`)) run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
  run(process.execPath, ['scripts/build.mjs']);
}
unlinkGitPreparation();

// `npm install -g <git URL>`: npm clones the repository into a temporary folder and runs
// `npm install` there to prepare it, passing its own settings down, global ones included. That
// inner install then installs the clone itself globally: a symlink from the global node_modules to
// the temporary folder (npm/cli#6984). The outer npm later unpacks the prepared package through that
// symlink into the folder it was packed from, which npm then deletes, so the install ended up empty.
// Here, in the inner install, the symlink gives way to an empty folder for the outer npm to fill.
function unlinkGitPreparation() {
  if (!process.env._PACOTE_NO_PREPARE_ || process.env.npm_config_global !== 'true') return;
  const prefix = process.env.npm_config_global_prefix || process.env.npm_config_prefix;
  if (!prefix) return;
  const installed = join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', 'influxsh');
  try {
    if (!lstatSync(installed).isSymbolicLink() || realpathSync(installed) !== realpathSync(root)) return;
    unlinkSync(installed);
    mkdirSync(installed);
  } catch {
    // Nothing installed there, or not ours to change: leave it to npm.
  }
}
