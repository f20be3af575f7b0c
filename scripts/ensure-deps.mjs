// Installs what a fresh Debian machine lacks before tests or the demo: node modules, and
// Debian's influxdb (influxd), influxdb-client (the reference `influx` 1.x CLI), tmux (the
// shell tests' terminal) and wrk (the load generator's reference) when root; otherwise names the
// apt-get command and fails.
// Uses only Node built-ins, since node_modules may not exist yet.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

// --no-reference (the demo): only what running influxsh needs, not what the tests drive.
const forTests = !process.argv.includes('--no-reference');
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`ensure-deps: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
};
const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

if (!existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const packages = [];
if (!onPath('influxd')) packages.push('influxdb');
if (forTests && !onPath('influx')) packages.push('influxdb-client');
if (forTests && !onPath('tmux')) packages.push('tmux');
if (forTests && !onPath('wrk')) packages.push('wrk');
if (packages.length) {
  if (process.getuid?.() !== 0) {
    console.error(`ensure-deps: missing ${packages.join(', ')}: run 'sudo apt-get install ${packages.join(' ')}'`);
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
}
