// Drives the built binary in a real terminal: a private tmux server (-L), one session per shell.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, influxPort } from './influx.js';

const SOCKET = `influxsh-test-${process.pid}`;
let counter = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

export function killTmuxServer(): void {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server'], { stdio: 'ignore' });
}

export interface TerminalShell {
  name: string;
  home: string;
  /** Everything on screen plus scrollback, trailing spaces trimmed. */
  screen(): string;
  /** The visible screen only. */
  visible(): string;
  keys(...keys: string[]): void;
  type(text: string): void;
  /** A bracketed paste, as a terminal delivers it when the app asked for bracketed paste (bytes as they are). */
  paste(text: string | Buffer): void;
  resize(columns: number, rows: number): void;
  waitFor(test: RegExp | ((screen: string) => boolean), what?: string, timeoutMs?: number): Promise<string>;
  kill(): void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Starts influxsh in a 120x40 terminal (or `size`) against the test server and waits for its prompt. */
export async function startShell(
  opts: {
    args?: string[];
    env?: Record<string, string>;
    home?: string;
    port?: string;
    host?: string;
    size?: { columns: number; rows: number };
    /** Run with the given args only (no -host/-port) and do not wait for a prompt. */ bare?: boolean;
    /** Another copy of bin/influxsh (a package with parts of its build removed, say). */
    bin?: string;
  } = {},
): Promise<TerminalShell> {
  const name = `s${++counter}`;
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'influxsh-home-'));
  const env = { HOME: home, NO_COLOR: '1', TERM: 'xterm-256color', ...opts.env };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const cmd = [
    'env',
    '-u',
    'CI',
    ...envArgs,
    shellQuote(process.execPath),
    shellQuote(opts.bin ?? BIN),
    ...(opts.bare ? [] : ['-host', opts.host ?? '127.0.0.1', '-port', opts.port ?? influxPort()]),
    ...(opts.args ?? []).map(shellQuote),
  ].join(' ');
  tmux('new-session', '-d', '-s', name, '-x', String(opts.size?.columns ?? 120), '-y', String(opts.size?.rows ?? 40), `${cmd}; echo "EXITED:$?"; sleep 600`);
  const sh: TerminalShell = {
    name,
    home,
    screen: () => tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', name).replace(/[ \t]+$/gm, ''),
    visible: () => tmux('capture-pane', '-p', '-t', name).replace(/[ \t]+$/gm, ''),
    keys: (...keys) => void tmux('send-keys', '-t', name, ...keys),
    type: (text) => void tmux('send-keys', '-t', name, '-l', text),
    paste: (text) => {
      const buf = `b${name}`;
      execFileSync('tmux', ['-L', SOCKET, 'load-buffer', '-b', buf, '-'], { input: text });
      tmux('paste-buffer', '-p', '-d', '-b', buf, '-t', name);
    },
    resize: (columns, rows) => void tmux('resize-window', '-t', name, '-x', String(columns), '-y', String(rows)),
    async waitFor(test, what = String(test), timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      let s: string;
      for (;;) {
        s = sh.screen();
        if (typeof test === 'function' ? test(s) : test.test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
        await sleep(25);
      }
    },
    kill: () => void spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', name], { stdio: 'ignore' }),
  };
  if (!opts.bare) await sh.waitFor(/^(127\.0\.0\.1|localhost):\d+( \S+)?>$/m, 'the prompt');
  return sh;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
