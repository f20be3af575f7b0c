// Commands only the interactive shell has: the display cap, `last`, timing, output to a file,
// `watch` and `traffic`. They are listed in the one registry (src/cli/registry.ts), so help and
// completion show them; in a script the runner refuses them.
import { closeSync } from 'node:fs';
import { openAppend } from '../files/safe-write.js';
import { parseOnOff, type Command, type ShellControl } from '../core/commands.js';

export type { ShellControl } from '../core/commands.js';

function control(ctx: Parameters<Command['run']>[0]): ShellControl | null {
  const c = ctx.shell?.control ?? null;
  if (!c) ctx.error('only available in the interactive shell');
  return c;
}

export const limitCmd: Command = {
  name: 'limit',
  usage: 'limit <n>|off',
  summary: 'rows shown per series before the middle is hidden (head and tail shown); off shows all',
  argValues: ['off', '20', '100', '1000'],
  interactiveOnly: true,
  run(ctx, args) {
    const c = control(ctx);
    if (!c) return false;
    const v = args.trim().toLowerCase();
    if (!v) {
      ctx.info(c.display.limit ? `limit ${c.display.limit}` : 'limit off');
      return true;
    }
    if (v === 'off' || v === '0') {
      c.setLimit(0);
      ctx.info('Display limit off: every row is shown');
      return true;
    }
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 2) {
      ctx.error(`invalid limit "${args.trim()}": use a number of rows (2 or more) or off`);
      return false;
    }
    c.setLimit(n);
    ctx.info(`Display limit ${n} rows per series`);
    return true;
  },
};

export const lastCmd: Command = {
  name: 'last',
  usage: 'last',
  summary: 'show every row of the last result through $PAGER (default less -SRXF)',
  interactiveOnly: true,
  async run(ctx) {
    const c = control(ctx);
    if (!c) return false;
    const err = await c.showLast();
    if (err) ctx.error(err);
    return !err;
  },
};

export const timingCmd: Command = {
  name: 'timing',
  usage: 'timing [on|off]',
  summary: 'print round-trip and rendering time after each statement; alone it toggles',
  argValues: ['on', 'off'],
  interactiveOnly: true,
  run(ctx, args) {
    const c = control(ctx);
    if (!c) return false;
    const arg = parseOnOff(args);
    const on = arg === undefined ? !c.timing : arg;
    if (on === null) {
      ctx.error(`invalid argument "${args.trim()}": use timing on or timing off`);
      return false;
    }
    c.setTiming(on);
    ctx.info(on ? 'Timing is on' : 'Timing is off');
    return true;
  },
};

export const outputCmd: Command = {
  name: 'output',
  usage: 'output <file>|off',
  summary: 'append results to a file instead of the screen (uncapped, in the current format)',
  argValues: ['off'],
  interactiveOnly: true,
  run(ctx, args) {
    const c = control(ctx);
    if (!c) return false;
    const v = args.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (!v) {
      ctx.info(c.display.outputFile ? `Results go to ${c.display.outputFile}` : 'Results go to the screen');
      return true;
    }
    if (v.toLowerCase() === 'off') {
      c.setOutput(null);
      ctx.info('Results go to the screen');
      return true;
    }
    try {
      closeSync(openAppend(v, 0o600));
    } catch (e) {
      ctx.error((e as Error).message);
      return false;
    }
    c.setOutput(v);
    ctx.info(`Results go to ${v} (output off to stop)`);
    return true;
  },
};

export const watchCmd: Command = {
  name: 'watch',
  usage: 'watch [interval] <statement>',
  summary: 'run a statement every interval (default 2s), redrawing in place; Ctrl-C stops',
  interactiveOnly: true,
  async run(ctx, args) {
    // Loaded on first use: the watch loop is not part of the shell's start-up.
    const { parseWatchArgs, watchLoop } = await import('../watch/run-watch.js');
    const { watchFrame } = await import('./watch-frame.js');
    const w = parseWatchArgs(args);
    if ('error' in w) {
      ctx.error(w.error);
      return false;
    }
    const c = ctx.shell?.control;
    if (!ctx.runQuery || !ctx.signal || !c?.capture || !c.showFrame || !c.screenSize) {
      ctx.error('watch needs the interactive shell');
      return false;
    }
    const every = w.intervalMs % 1000 === 0 ? `${w.intervalMs / 1000}s` : `${w.intervalMs}ms`;
    let lastText = '';
    let lastRun: { n: number; at: Date; ms: number; ok: boolean } | undefined;
    const draw = () => c.showFrame!(watchFrame({ every, statement: w.statement, run: lastRun, text: lastText, ...c.screenSize!() }));
    draw();
    // Each run's result is kept as text and drawn in the live region, so it replaces the previous
    // one in place (nothing piles up in the scrollback) and never grows past the screen.
    const result = await watchLoop(
      async (signal, n) => {
        c.startWatchRun?.(n);
        const started = Date.now();
        const { result: ok, text } = await c.capture!(() => ctx.runQuery!(w.statement, signal));
        if (signal.aborted) return ok;
        lastText = text;
        lastRun = { n, at: new Date(started), ms: Date.now() - started, ok };
        draw();
        return ok;
      },
      { intervalMs: w.intervalMs, signal: ctx.signal },
    );
    // The last frame stays in the scrollback, then one line says the watch is over.
    const frame = watchFrame({ every, statement: w.statement, run: lastRun, text: lastText, stopped: true, ...c.screenSize()! });
    c.showFrame(null);
    // One stream for both, so the note comes after the frame.
    ctx.out(`${frame.join('\n')}\nwatch stopped after ${result.runs} run${result.runs === 1 ? '' : 's'}\n`);
    return true;
  },
};

export const trafficCmd: Command = {
  name: 'traffic',
  usage: 'traffic [on|off]',
  summary: "pause (off) or resume (on) influxsh demo's sample traffic and host metrics; alone: show",
  argValues: ['on', 'off'],
  interactiveOnly: true,
  async run(ctx, args) {
    const t = ctx.shell?.traffic;
    if (!t) {
      ctx.error('no sample traffic in this session: it comes with influxsh demo');
      return false;
    }
    const on = parseOnOff(args, { on: ['resume'], off: ['pause'] });
    if (on === false) await t.pause();
    else if (on === true) await t.resume();
    else if (on === null) {
      ctx.error(`invalid argument "${args.trim()}": use traffic on or traffic off`);
      return false;
    }
    ctx.info(t.paused ? 'Sample traffic paused (traffic on resumes it)' : 'Sample traffic flowing (traffic off pauses it)');
    return true;
  },
};
