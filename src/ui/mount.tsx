// Mounts the Ink app for an interactive session. Only src/shell/start.ts imports this, with a
// dynamic import(), so scripts and one-shot runs never load React, Ink or yoga.
import { appendToFile } from '../files/safe-write.js';
import { render } from 'ink';
import { ShellController } from '../shell/controller.js';
import { defaultHistoryPath } from '../shell/history-store.js';
import type { Session } from '../core/session.js';
import type { CommandRegistry, TrafficSwitch } from '../core/commands.js';
import { App } from './app.js';
import { echoText, styleBuffer } from './layout.js';
import { ByteKeepingStdin } from './byte-stdin.js';
import { FrameGate } from './frame-gate.js';
import * as engine from './engine.js';

export interface MountOptions {
  session: Session;
  /** The shell's commands: the controller runs them, completion and Enter read them. */
  commands: CommandRegistry;
  color: boolean;
  confirm: boolean;
  /** Raw keys typed while the UI was loading. */
  pending: string;
  /** Called right before Ink draws its first frame (start.ts erases its placeholder prompt). */
  beforeFirstFrame(): void;
  onReady?(): void;
  traffic?: TrafficSwitch;
}

export async function runInkShell(o: MountOptions): Promise<void> {
  const meta = engine.createMetadata(o.session);
  const columns = () => process.stdout.columns || 80;
  const controller = new ShellController({
    session: o.session,
    commands: o.commands,
    engine,
    size: () => ({ columns: columns(), rows: process.stdout.rows || 24 }),
    echo: (prompt, text) =>
      echoText(
        prompt,
        text,
        styleBuffer(text, (t) => engine.highlight(t, { color: o.color })),
        columns(),
      ) + '\n',
    historyPath: defaultHistoryPath(),
    confirm: o.confirm,
    color: o.color,
    traffic: o.traffic,
    onSchemaChange: (reason) => {
      if (reason === 'connect') meta.reset();
      void meta.refresh(reason);
    },
  });
  // INFLUXSH_KEYLOG=FILE (for bench/shell.mjs): appends, per frame drawn after keys arrived,
  // the milliseconds from the first of those keys to the frame.
  const keylog = process.env.INFLUXSH_KEYLOG;
  const keyTimes: number[] = [];
  const frames = new FrameGate();
  const logKeys = keylog
    ? () => {
        if (!keyTimes.length) return;
        appendToFile(keylog, `${(performance.now() - keyTimes[0]!).toFixed(2)}\n`, 0o644);
        keyTimes.length = 0;
      }
    : undefined;
  const onRender = () => {
    frames.drawn();
    logKeys?.();
  };
  const stdin = new ByteKeepingStdin(process.stdin);
  if (keylog) stdin.prependListener('readable', () => keyTimes.push(performance.now()));
  o.beforeFirstFrame();
  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));
  const instance = render(
    <App
      store={controller}
      color={o.color}
      pending={o.pending}
      frames={frames}
      engine={{
        complete: (text, cursor, snapshot) => engine.complete(text, cursor, snapshot, o.commands),
        highlight: engine.highlight,
        isCommandLine: o.commands.isCommandLine,
        snapshot: () => meta.snapshot(),
        need: (result) => (result.fetch ? meta.ensure(result.fetch) : undefined),
      }}
      onExit={() => resolveExit()}
      onReady={() => {
        // The schema loads in the background once the prompt is up, so it never delays it.
        setTimeout(() => void meta.refresh('start'), 0);
        o.onReady?.();
      }}
    />,
    // 60 fps: Ink throttles frames, and a keystroke should never wait long for one.
    // Ink reads keys through the stand-in, which keeps bytes that are not UTF-8 (byte-stdin.ts).
    { exitOnCtrlC: false, patchConsole: false, maxFps: 60, onRender, stdin: stdin as unknown as NodeJS.ReadStream },
  );
  await Promise.race([exited, instance.waitUntilExit()]);
  instance.unmount();
  await instance.waitUntilExit().catch(() => {});
  // Ink ends every frame with a newline, so its last (empty) frame left one blank line: step back
  // onto it, so the parent shell's prompt lands on the first free line, as after 1.x's exit.
  if (process.stdout.isTTY) process.stdout.write('\x1b[1A\r');
  controller.dispose();
}
