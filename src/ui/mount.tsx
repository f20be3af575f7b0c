// Mounts the Ink app for an interactive session. Only src/shell/start.ts imports this, with a
// dynamic import(), so scripts and one-shot runs never load React, Ink or yoga.
import React from 'react';
import { render } from 'ink';
import { ShellController, type Screen } from '../shell/controller.js';
import { defaultHistoryPath } from '../shell/history-store.js';
import type { Session } from '../shell/session.js';
import { App, type ViewHandle } from './app.js';
import * as engine from './engine.js';

export interface MountOptions {
  session: Session;
  color: boolean;
  confirm: boolean;
  /** Raw keys typed while the UI was loading. */
  pending: string;
  /** Called right before Ink draws its first frame (start.ts erases its placeholder prompt). */
  beforeFirstFrame(): void;
  onReady?(): void;
}

export async function runInkShell(o: MountOptions): Promise<void> {
  let view: ViewHandle | null = null;
  const early: string[] = [];
  const screen: Screen = {
    write: (t) => (view ? view.write(t) : early.push(t)),
    error: (t) => (view ? view.error(t) : early.push(t)),
    confirm: (q) => view!.confirm(q),
    promptAuth: () => view!.promptAuth(),
    external: (run) => view!.external(run),
    columns: () => process.stdout.columns || 80,
  };
  const meta = engine.createMetadata(o.session);
  const controller = new ShellController({
    session: o.session,
    screen,
    engine,
    historyPath: defaultHistoryPath(),
    confirm: o.confirm,
    color: o.color,
    onProgress: () => view?.refresh(),
    onSchemaChange: (reason) => meta?.refresh(reason),
  });
  if (meta) meta.onChange = () => view?.refresh();
  o.beforeFirstFrame();
  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));
  const instance = render(
    <App
      controller={controller}
      color={o.color}
      pending={o.pending}
      engine={{
        complete: engine.complete,
        highlight: engine.highlight,
        snapshot: () => meta?.snapshot() ?? null,
      }}
      bind={(v) => {
        view = v;
        for (const t of early.splice(0)) v.write(t);
      }}
      onExit={() => resolveExit()}
      onReady={o.onReady}
    />,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30 },
  );
  await Promise.race([exited, instance.waitUntilExit()]);
  instance.unmount();
  await instance.waitUntilExit().catch(() => {});
  controller.dispose();
}
