// The Ink view with ink-testing-library: keys in, frames out, a stand-in controller and engine.
import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App, type EngineView } from '../../src/ui/app.js';
import type { Dialog, ShellState, ShellStore } from '../../src/shell/controller.js';
import type { CompletionResult } from '../../src/ui/engine.js';
import { emptySnapshot } from '../../src/shell/metadata.js';
import { commands } from '../../src/cli/registry.js';

/** A stand-in store: records what is entered; with `hold` set, a statement runs until cancelled. */
class FakeController implements ShellStore {
  history = { entries: ['SHOW DATABASES', 'SELECT * FROM cpu', 'SELECT mean(v) FROM mem'] };
  submitted: string[] = [];
  cancelled = 0;
  hold = false;
  private state: ShellState = { running: false, progress: null, frame: null, dialog: null, queue: [], prompt: 'localhost:8086 db> ' };
  private listeners = new Set<() => void>();
  private release: (() => void) | null = null;
  private answer: ((v: unknown) => void) | null = null;
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };
  getSnapshot = () => this.state;
  private publish(change: Partial<ShellState>) {
    this.state = { ...this.state, ...change };
    for (const l of this.listeners) l();
  }
  onOutput(): () => void {
    return () => {};
  }
  async enter(text: string): Promise<{ exit: boolean }> {
    this.submitted.push(text);
    if (!this.hold) return { exit: text === 'exit' };
    this.publish({ running: true, progress: { startedAt: 0, at: 2000, series: 2, rows: 12345, cancelling: false } });
    await new Promise<void>((r) => (this.release = r));
    this.publish({ running: false, progress: null });
    return { exit: false };
  }
  async cancel(): Promise<void> {
    this.cancelled++;
    this.release?.();
  }
  takeQueue(): string[] {
    return [];
  }
  /** Opens a dialog as the real controller does while a unit runs. */
  ask<T>(dialog: Dialog): Promise<T> {
    return new Promise<T>((resolve) => {
      this.answer = resolve as (v: unknown) => void;
      this.publish({ dialog });
    });
  }
  private settle(v: unknown) {
    this.publish({ dialog: null });
    this.answer?.(v);
  }
  answerConfirm(yes: boolean): void {
    this.settle(yes);
  }
  answerAuth(creds: { username: string; password: string } | null): void {
    this.settle(creds);
  }
  terminalReleased(): void {}
}

const engine = (complete?: (text: string, cursor: number) => CompletionResult): EngineView => ({
  complete: (text, cursor) => complete?.(text, cursor) ?? { start: cursor, end: cursor, candidates: [] },
  highlight: (text) => text,
  isCommandLine: commands.isCommandLine,
  snapshot: () => emptySnapshot(),
});

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function mount(opts: { complete?: (text: string, cursor: number) => CompletionResult } = {}) {
  const controller = new FakeController();
  let exited = false;
  const r = render(
    React.createElement(App, {
      store: controller,
      engine: engine(opts.complete),
      color: false,
      onExit: () => (exited = true),
    }),
  );
  cleanup = r.unmount;
  const frame = () => r.lastFrame() ?? '';
  const until = async (test: (f: string) => boolean, what: string) => {
    const deadline = Date.now() + 3000;
    while (!test(frame())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; frame:\n${frame()}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const press = async (data: string) => {
    r.stdin.write(data);
    await new Promise((res) => setTimeout(res, 10));
  };
  return { r, controller, frame, until, press, exited: () => exited };
}

describe('shell view', () => {
  it('edits with emacs keys, continues an incomplete statement, and submits the whole buffer', async () => {
    const m = mount();
    await m.press('SELECT mean(value)');
    await m.until((f) => f.includes('localhost:8086 db> SELECT mean(value)'), 'typed text');
    await m.press('\x01'); // Ctrl-A
    await m.press('\x0b'); // Ctrl-K
    await m.until((f) => !f.includes('SELECT'), 'killed line');
    await m.press('\x19'); // Ctrl-Y
    await m.press('\r');
    await m.until((f) => /\n +->/.test(f), 'continuation row (SELECT without FROM)');
    await m.press('FROM cpu\r');
    await m.until(() => m.controller.submitted.length === 1, 'submit');
    expect(m.controller.submitted[0]).toBe('SELECT mean(value)\nFROM cpu');
  });

  it('completes: one candidate replaces the word, several open a menu that Tab cycles', async () => {
    const m = mount({
      complete: (text, cursor) => {
        const start = text.lastIndexOf(' ') + 1;
        const word = text.slice(start, cursor);
        const all = ['cpu', 'cpu_load', 'mem'].filter((c) => c.startsWith(word));
        return { start, end: cursor, candidates: all.map((value) => ({ value, kind: 'measurement' })) };
      },
    });
    await m.press('SELECT * FROM me\t');
    await m.until((f) => f.includes('FROM mem'), 'single completion');
    await m.press('\x15SELECT * FROM c\t'); // Ctrl-U, retype
    await m.until((f) => f.includes('cpu_load') && f.includes('measurement'), 'the menu');
    expect(m.frame()).toContain('FROM cpu');
    await m.press('\t');
    await m.press('\r');
    await m.until((f) => f.includes('db> SELECT * FROM cpu_load') && !f.includes('measurement'), 'accepted candidate');
    expect(m.controller.submitted).toEqual([]);
  });

  it('Ctrl-R finds history backwards and Enter runs the match; Up filters by prefix', async () => {
    const m = mount();
    await m.press('\x12');
    await m.press('mem');
    await m.until((f) => f.includes("(reverse-i-search)`mem': SELECT mean(v) FROM mem"), 'the search line');
    await m.press('\r');
    await m.until(() => m.controller.submitted.length === 1, 'submit');
    expect(m.controller.submitted[0]).toBe('SELECT mean(v) FROM mem');
    await m.press('SHOW');
    await m.press('\x1b[A');
    await m.until((f) => f.includes('db> SHOW DATABASES'), 'prefix-filtered recall');
  });

  it('shows a status line while a query runs and Ctrl-C cancels it without leaving', async () => {
    const m = mount();
    m.controller.hold = true;
    await m.press('SELECT * FROM big\r');
    await m.until((f) => /12,345 rows · Ctrl-C cancels/.test(f), 'the status line');
    expect(m.frame()).toContain('2 series');
    await m.press('\x03');
    await m.until((f) => !f.includes('Ctrl-C cancels'), 'status gone');
    expect(m.controller.cancelled).toBe(1);
    await m.press('\x03');
    await m.until((f) => f.includes('To leave, press Ctrl-D'), 'idle Ctrl-C hint');
    expect(m.exited()).toBe(false);
    await m.press('\x04');
    await m.until(() => m.exited(), 'Ctrl-D exits');
  });

  it('asks y/N for destructive statements and never shows a typed password', async () => {
    const m = mount();
    const answer = m.controller.ask<boolean>({ kind: 'confirm', question: 'DROP DATABASE cannot be undone. Run it?' });
    await m.until((f) => f.includes('DROP DATABASE cannot be undone. Run it? [y/N]'), 'the question');
    await m.press('n');
    expect(await answer).toBe(false);
    const creds = m.controller.ask<{ username: string; password: string } | null>({ kind: 'auth' });
    await m.until((f) => f.includes('username:'), 'username prompt');
    await m.press('alice\r');
    await m.until((f) => f.includes('password:'), 'password prompt');
    await m.press('s3cr3t-pw\r');
    expect(await creds).toEqual({ username: 'alice', password: 's3cr3t-pw' });
    expect(m.r.frames.join('')).not.toContain('s3cr3t');
  });
});
