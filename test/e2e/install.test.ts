// Installed the way npm users install a CLI: `npm pack` from the sources alone (npm's prepare
// builds dist/), then the tarball installed globally into a temporary prefix and run with npx, and
// a git repository of the sources installed globally from its URL. Each installed copy runs a
// script against the test server and starts the shell to its prompt.
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { influxPort, runCommand } from '../helpers/influx.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'influxsh-install-'));
// npm settings of the `npm test` that runs this (a prefix, say) must not steer these installs.
const env: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)) as [string, string][]);
const npm = (args: string[], cwd = work) => runCommand('sh', ['-c', 'cd "$0" && exec npm "$@"', cwd, ...args, '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund'], { env });
const script = ['-host', '127.0.0.1', '-port', influxPort(), '-execute', 'SHOW DATABASES'];

let tarball: string;
let packed: { size: number; unpackedSize: number; files: { path: string }[] };

/** The sources as a clone has them (no dist/), with this checkout's node_modules unless told not to. */
function sourceCopy(name = 'src-copy', modules = true): string {
  const src = join(work, name);
  for (const p of ['bin', 'src', 'scripts', 'package.json', 'package-lock.json', 'README.md', 'tsconfig.json']) cpSync(join(root, p), join(src, p), { recursive: true });
  if (modules) symlinkSync(join(root, 'node_modules'), join(src, 'node_modules'));
  return src;
}

async function expectWorks(bin: string[]): Promise<void> {
  const r = await runCommand(bin[0]!, [...bin.slice(1), ...script], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^name: databases\nname\n----\n/);
  // A terminal (script(1)); the shell exits once Ink has drawn its first frame.
  const line = [...bin, '-host', '127.0.0.1', '-port', influxPort()].map((a) => `'${a}'`).join(' ');
  const shell = await runCommand('script', ['-qec', line, '/dev/null'], { env: { ...env, INFLUXSH_EXIT_AFTER_PROMPT: 'ink' } });
  expect(shell.code, shell.stdout).toBe(0);
  expect(shell.stdout.replace(/\r/g, '')).toMatch(new RegExp(`^Connected to http://127\\.0\\.0\\.1:${influxPort()} version \\S+\\ninfluxsh version \\S+\\n127\\.0\\.0\\.1:${influxPort()}> `, 'm'));
}

describe('installing with npm', { timeout: 240000 }, () => {
  beforeAll(async () => {
    const src = sourceCopy();
    const r = await npm(['pack', '--json', '--pack-destination', work], src);
    expect(r.code, r.stderr).toBe(0);
    packed = (JSON.parse(r.stdout) as (typeof packed & { filename: string })[])[0]!;
    tarball = join(
      work,
      readdirSync(work).find((f) => f.endsWith('.tgz'))!,
    );
  }, 240000);

  it('packs the built program and nothing it does not need', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/influxsh', 'bin/package.json', 'dist/main.js', 'dist/oneshot.cjs', 'dist/routes.json', 'dist/local.js', 'package.json', 'README.md']));
    expect(files.filter((f) => !/^(bin|dist)\/|^(package\.json|README\.md)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(map|cache)$|build-stamp/.test(f))).toEqual([]);
    // About 0.4 MB packed, 1.1 MB unpacked: bounds that catch a source map or node_modules slipping in.
    expect(packed.size).toBeGreaterThan(200_000);
    expect(packed.size).toBeLessThan(1_000_000);
    expect(packed.unpackedSize).toBeLessThan(3_000_000);
  });

  it('npm install -g of the tarball gives a working influxsh, with nothing else to install', async () => {
    const prefix = join(work, 'prefix');
    const r = await npm(['install', '-g', '--prefix', prefix, tarball]);
    expect(r.code, r.stderr).toBe(0);
    // npm 11.16+ lists install scripts of packages from outside the registry; influxsh's own
    // prepare (the build, which does not run for a tarball) is the only one it may name.
    const warnings = r.stderr.split('\n').filter((l) => /warn/i.test(l));
    expect(warnings.filter((l) => !/^npm warn install-scripts/.test(l))).toEqual([]);
    for (const l of warnings) expect(l).not.toMatch(/^npm warn install-scripts +(?!influxsh@)\S+@\S+ \(/);
    // Everything it runs is bundled into dist/: no dependencies come along.
    expect(existsSync(join(prefix, 'lib', 'node_modules', 'influxsh', 'node_modules'))).toBe(false);
    await expectWorks([join(prefix, 'bin', 'influxsh')]);
  });

  it('npx runs it from the tarball', async () => {
    await expectWorks(['npm', 'exec', '--yes', '--no-progress', '--loglevel=error', '--cache', join(work, 'npm-cache'), '--package', tarball, '--', 'influxsh']);
  });

  it('npm install -g from a git URL gives a working influxsh (npm/cli#6984 left it empty)', async () => {
    const repo = sourceCopy('git-repo', false);
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'sources'],
    ]) {
      const g = await runCommand('git', ['-C', repo, ...args], { env });
      expect(g.code, g.stderr).toBe(0);
    }
    const prefix = join(work, 'git-prefix');
    // npm prepares a git dependency by installing its dev dependencies in a clone: npm's own cache
    // (which `npm ci` filled) spares downloading them again.
    const r = await runCommand('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', `git+file://${repo}`], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/TAR_ENTRY_ERROR/);
    const installed = join(prefix, 'lib', 'node_modules', 'influxsh');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    await expectWorks([join(prefix, 'bin', 'influxsh')]);
  });
});
