// bin/influxsh picks a build per run (dist/oneshot.cjs for the root command: scripts, and the shell
// until its prompt; dist/main.js for subcommands; dist/shell-editor.js for the shell's editor) and
// caches compiled code per user. What a user can see of that: a script runs from the one-shot build
// alone (no Ink, React or node_modules needed), loads no TLS unless asked, and runs the same from a
// missing, damaged or foreign cache. Its speed is measured in bench/oneshot.mjs and bench/shell.mjs.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BIN, influxPort, runCommand } from '../helpers/influx.js';
import { killTmuxServer, startShell } from '../helpers/tmux.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = () => ['-host', '127.0.0.1', '-port', influxPort(), '-execute', 'SHOW DATABASES'];

/** A copy of the package with only what a one-shot run may need: bin/, the one-shot build, package.json. */
function oneShotPackage(): string {
  const pkg = mkdtempSync(join(tmpdir(), 'influxsh-pkg-'));
  cpSync(join(root, 'bin'), join(pkg, 'bin'), { recursive: true });
  mkdirSync(join(pkg, 'dist'));
  for (const f of readdirSync(join(root, 'dist'))) if (/^(oneshot\.cjs|oneshot-.*\.cache|routes\.json)$/.test(f)) copyFileSync(join(root, 'dist', f), join(pkg, 'dist', f));
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  return pkg;
}

/** A copy of the whole package, to break parts of. */
function fullPackage(): string {
  const pkg = mkdtempSync(join(tmpdir(), 'influxsh-pkg-'));
  cpSync(join(root, 'bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
  return pkg;
}

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** A preload that makes loading Node's TLS modules fail the run. */
function tlsTripwire(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'influxsh-tripwire-')), 'no-tls.cjs');
  writeFileSync(
    file,
    `const M = require('module'); const req = M.prototype.require;
M.prototype.require = function (id) { if (/^(node:)?(tls|https)$/.test(id)) throw new Error('TRIPWIRE: loaded ' + id); return req.apply(this, arguments); };`,
  );
  return file;
}

describe('launcher', () => {
  it('runs a script, --help and -version from the one-shot build alone', async () => {
    const bin = join(oneShotPackage(), 'bin', 'influxsh');
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'influxsh-xdg-')) };
    const r = await runCommand(process.execPath, [bin, ...script()], { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^name: databases\nname\n----\n/);
    expect(r.code).toBe(0);
    const help = await runCommand(process.execPath, [bin, '--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: influxsh/);
    const version = await runCommand(process.execPath, [bin, '-version'], { env });
    expect(version.stdout).toBe(`influxsh version ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
  });

  it('loads no TLS for a plain-HTTP script, and does for -ssl', async () => {
    const tripwire = tlsTripwire();
    const plain = await runCommand(process.execPath, ['-r', tripwire, BIN, ...script()]);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    // The tripwire works: a TLS run trips it.
    const tls = await runCommand(process.execPath, ['-r', tripwire, BIN, '-ssl', ...script()]);
    expect(tls.code).toBe(1);
    expect(tls.stderr).toContain('TRIPWIRE: loaded');
  });

  it('loads neither net nor crypto for a script to an IP address (output to a file); net with INFLUXSH_NET_SOCKETS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-modules-'));
    const preload = join(dir, 'modules.cjs');
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, process.moduleLoadList.join('\\n')));`);
    const loaded = async (env: Record<string, string>) => {
      const out = join(dir, 'out.txt');
      const r = await runCommand('sh', ['-c', 'exec "$@" > "$0"', out, process.execPath, '-r', preload, BIN, ...script()], { env: { ...env, MODULES_OUT: join(dir, 'modules.txt') } });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(/^name: databases\n/);
      return readFileSync(join(dir, 'modules.txt'), 'utf8').split('\n');
    };
    const raw = await loaded({});
    expect(raw).not.toContain('NativeModule net');
    expect(raw).not.toContain('NativeModule crypto');
    const viaNet = await loaded({ INFLUXSH_NET_SOCKETS: '1' });
    expect(viaNet).toContain('NativeModule net');
  });

  it('sends an argument that names a subcommand, as an option value, to the full build, which runs it', async () => {
    const r = await runCommand(process.execPath, [BIN, '-database', 'load', ...script()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^name: databases\n/);
  });

  it('runs the same from a missing, a damaged and a foreign code cache, and leaves a cache behind', async () => {
    const pkg = oneShotPackage();
    const bin = join(pkg, 'bin', 'influxsh');
    const cacheHome = mkdtempSync(join(tmpdir(), 'influxsh-xdg-'));
    const env = { XDG_CACHE_HOME: cacheHome };
    const caches = () => [...filesUnder(join(cacheHome, 'influxsh')), ...filesUnder(join(pkg, 'dist')).filter((f) => f.endsWith('.cache'))];
    const good = async () => {
      const r = await runCommand(process.execPath, [bin, ...script()], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^name: databases\nname\n----\n/);
    };

    // Missing: a build without its cache and a user without one.
    for (const f of caches()) rmSync(f);
    await good();
    const written = caches().filter((f) => statSync(f).size > 1000);
    expect(written.length).toBeGreaterThan(0);

    // Damaged: every cache file overwritten with bytes of its own length.
    for (const f of caches()) writeFileSync(f, Buffer.alloc(statSync(f).size, 0x5a));
    await good();
    await good();

    // Foreign: every cache file holds a valid V8 code cache, of another program.
    const foreign = new Script('globalThis.x = [1, 2, 3].map((n) => n * 2)').createCachedData();
    for (const f of caches()) writeFileSync(f, foreign);
    await good();
    await good();
  });

  it('says in one line, exit 1, when its build is missing or damaged, for scripts and for the full build', async () => {
    // One chunk main.js imports as it loads, and the one `local` loads when it runs.
    const staticChunk = /from"\.\/(chunk-[\w-]+\.js)"/.exec(readFileSync(join(root, 'dist', 'main.js'), 'utf8'))![1]!;
    const lazyChunk = readdirSync(join(root, 'dist')).find((f) => /^local-command-.*\.js$/.test(f))!;
    const cases: Array<[string, (dist: string) => void, string[], string]> = [
      ['no dist/', (d) => rmSync(d, { recursive: true }), script(), 'missing'],
      ['routes.json damaged', (d) => writeFileSync(join(d, 'routes.json'), '{'), script(), 'damaged'],
      ['oneshot.cjs missing', (d) => rmSync(join(d, 'oneshot.cjs')), script(), 'missing'],
      ['oneshot.cjs cut short', (d) => writeFileSync(join(d, 'oneshot.cjs'), readFileSync(join(d, 'oneshot.cjs'), 'utf8').slice(0, 5000)), script(), 'damaged'],
      ['main.js cut short', (d) => writeFileSync(join(d, 'main.js'), readFileSync(join(d, 'main.js'), 'utf8').slice(0, 300)), ['local', 'status'], 'damaged'],
      ['main.js missing', (d) => rmSync(join(d, 'main.js')), ['local', 'status'], 'missing'],
      ['a chunk main.js imports missing', (d) => rmSync(join(d, staticChunk)), ['local', 'status'], 'missing'],
      ['a lazily loaded chunk missing', (d) => rmSync(join(d, lazyChunk)), ['local', 'status'], 'damaged'],
    ];
    for (const [what, breakIt, args, word] of cases) {
      const pkg = fullPackage();
      breakIt(join(pkg, 'dist'));
      const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'influxsh-xdg-')), XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'influxsh-data-')) };
      const r = await runCommand(process.execPath, [join(pkg, 'bin', 'influxsh'), ...args], { env });
      expect(r.code, what).toBe(1);
      expect(r.stdout, what).toBe('');
      expect(r.stderr, what).toMatch(new RegExp(`^influxsh: its build is ${word} \\([^\\n]*\\): run 'npm run build'[^\\n]*, or reinstall influxsh\\n$`));
    }
  });

  it("draws the shell's prompt without the editor's build, then says in one line, exit 1, that it is missing", async () => {
    const pkg = fullPackage();
    rmSync(join(pkg, 'dist', 'shell-editor.js'));
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'influxsh-xdg-')), XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'influxsh-data-')) };
    try {
      // startShell waits for the prompt: the CommonJS build draws it alone.
      const s = await startShell({ bin: join(pkg, 'bin', 'influxsh'), env });
      const screen = await s.waitFor(/EXITED:\d+/, 'the exit');
      expect(screen).toMatch(/^influxsh: its build is missing \(dist\/shell-editor\.js in [^\n]*\): run 'npm run build' there, or reinstall influxsh\nEXITED:1$/m);
      s.kill();
    } finally {
      killTmuxServer();
    }
  });
});
