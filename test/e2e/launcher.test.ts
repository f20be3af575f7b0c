// bin/influxsh routes each run to one of two builds: dist/oneshot.cjs (CommonJS, from a V8 code
// cache) or dist/main.js (ES modules, for the shell and the subcommands).
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { BIN, influxPort, runCommand } from '../helpers/influx.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a launcher with a preload that reports which Node modules the run loaded. */
async function runTraced(bin: string, args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'influxsh-launcher-'));
  const preload = join(dir, 'trace.cjs');
  const out = join(dir, 'modules.txt');
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));`);
  const r = await runCommand(process.execPath, ['-r', preload, bin, ...args], { env });
  return { ...r, modules: readFileSync(out, 'utf8').split('\n') };
}

const esmLoaderStarted = (modules: string[]) => modules.includes('NativeModule internal/modules/esm/module_job');

describe('launcher', () => {
  it('knows every subcommand of the program', () => {
    const src = readFileSync(BIN, 'utf8');
    const listed = JSON.parse(/const SUBCOMMANDS = (\[[^\]]*\]);/.exec(src)![1]!.replace(/'/g, '"')) as string[];
    const names = buildProgram().commands.map((c) => c.name());
    expect(names.length).toBeGreaterThan(3);
    expect([...listed].sort()).toEqual([...names].sort());
  });

  it('runs a script from the CommonJS bundle without the ES module loader, TLS or Ink', async () => {
    const r = await runTraced(BIN, ['-host', '127.0.0.1', '-port', influxPort(), '-execute', 'SHOW DATABASES']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: databases');
    expect(esmLoaderStarted(r.modules)).toBe(false);
    expect(r.modules).not.toContain('NativeModule tls');
    expect(r.modules).toContain('NativeModule vm');
  });

  it('loads the ES module build for a subcommand', async () => {
    const r = await runTraced(BIN, ['local', 'status', '--local-data', mkdtempSync(join(tmpdir(), 'influxsh-nolocal-'))]);
    expect(esmLoaderStarted(r.modules)).toBe(true);
  });

  it('runs correctly from a missing, rejected or damaged code cache, and keeps one per Node version', async () => {
    // A copy of the package whose build left no code cache for this Node version.
    const pkg = mkdtempSync(join(tmpdir(), 'influxsh-pkg-'));
    cpSync(join(root, 'bin'), join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(pkg, 'dist'));
    copyFileSync(join(root, 'dist', 'oneshot.cjs'), join(pkg, 'dist', 'oneshot.cjs'));
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
    const cacheHome = mkdtempSync(join(tmpdir(), 'influxsh-xdg-'));
    const userCaches = () => readdirSync(join(cacheHome, 'influxsh'));
    const bin = join(pkg, 'bin', 'influxsh');
    const args = ['-host', '127.0.0.1', '-port', influxPort(), '-execute', 'SHOW DATABASES'];
    const env = { XDG_CACHE_HOME: cacheHome };
    const expectGoodRun = (r: Awaited<ReturnType<typeof runTraced>>) => {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^name: databases\nname\n----\n/);
      expect(esmLoaderStarted(r.modules)).toBe(false);
    };

    expectGoodRun(await runTraced(bin, args, env));
    expect(userCaches()).toEqual([expect.stringMatching(new RegExp(`^oneshot-${process.version}-${process.arch}-\\d+-\\d+\\.cache$`))]);
    const userCache = join(cacheHome, 'influxsh', userCaches()[0]!);
    const good = readFileSync(userCache);
    expectGoodRun(await runTraced(bin, args, env));

    // A damaged user cache is rejected, and replaced.
    writeFileSync(userCache, 'not a code cache');
    expectGoodRun(await runTraced(bin, args, env));
    expect(readFileSync(userCache).length).toBeGreaterThan(good.length / 2);

    // A build cache V8 rejects (another build's, say) leaves a user cache behind.
    rmSync(userCache);
    writeFileSync(join(pkg, 'dist', `oneshot-${process.version}-${process.arch}.cache`), good.subarray(0, 100));
    expectGoodRun(await runTraced(bin, args, env));
    expect(readFileSync(userCache).length).toBeGreaterThan(good.length / 2);

    // A new build (another mtime) gets its own cache, which replaces the old one.
    rmSync(join(pkg, 'dist', `oneshot-${process.version}-${process.arch}.cache`));
    utimesSync(join(pkg, 'dist', 'oneshot.cjs'), new Date(), new Date(Date.now() + 60_000));
    expectGoodRun(await runTraced(bin, args, env));
    expect(userCaches()).toHaveLength(1);
    expect(userCaches()[0]).not.toBe(basename(userCache));
  });
});
