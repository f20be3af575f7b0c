// The interactive shell's view: a few live lines (status, editor, menu, dialogs) under the
// scrollback. It reads the controller as an external store, keeps its own state in a reducer
// (key-handlers.ts, over the pure editor and history reducers in src/shell), and writes the
// controller's finished text above the live region.
import React, { useEffect, useLayoutEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useApp, useCursor, useStdin, useStdout } from 'ink';
import { searchResult, suggestFromHistory } from '../shell/history-nav.js';
import type { ShellStore } from '../shell/controller.js';
import { KeyDecoder, type KeyEvent } from './keys.js';
import { initialUi, uiReducer, type Effect, type KeyEnv } from './key-handlers.js';
import { echoText, layoutEditor, styleBuffer } from './layout.js';
import { PromptLine } from './prompt-line.js';
import { CompletionMenu } from './completion-menu.js';
import { StatusLine, statusText } from './status-line.js';
import { reflowErase, rowWidth, terminalRewraps, type DrawnFrame } from './reflow.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { SearchLine } from './search-line.js';
import type { FrameGate } from './frame-gate.js';
import { QueueLines, queueText } from './queue-lines.js';
import type { CompletionResult, MetadataSnapshot } from './engine.js';
import { displayWidth } from '../format/width.js';

export interface EngineView {
  complete(text: string, cursor: number, meta: MetadataSnapshot): CompletionResult;
  highlight(text: string, opts: { color: boolean }): string;
  /** The line starts with a shell command. */
  isCommandLine(text: string): boolean;
  snapshot(): MetadataSnapshot;
  /** Asks the metadata cache for what the completer said it lacked (tag values, a database). */
  need?(result: CompletionResult): Promise<void> | undefined;
}

export interface AppProps {
  store: ShellStore;
  engine: EngineView;
  color: boolean;
  /** Raw input typed before the app mounted. */
  pending?: string;
  onExit(): void;
  /** Called once the first frame with the prompt has been rendered. */
  onReady?(): void;
  /** Tells when Ink has drawn what the view rendered (mount.tsx feeds it Ink's onRender). */
  frames?: FrameGate;
}

const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';

export function App(props: AppProps): React.ReactElement | null {
  const { store, engine, color } = props;
  props.frames?.changed();
  /** Runs `f` once the frame before it is on the screen (at once without a gate). */
  const afterDrawn = (f: () => void): void => (props.frames ? props.frames.afterDrawn(f) : f());
  const { exit } = useApp();
  const { stdout, write: writeOut } = useStdout();
  const { stdin, setRawMode, isRawModeSupported } = useStdin();
  const { setCursorPosition } = useCursor();
  const shell = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [ui, dispatch] = useReducer(uiReducer, store.history.entries, initialUi);
  const size = useTerminalSize(stdout);
  const drawn = useReflowErase(stdout);
  const styled = (text: string) => styleBuffer(text, (t) => engine.highlight(t, { color }));

  // What a key may read besides the view's state: taken fresh when the key arrives, so the
  // input handler never reads a stale render.
  const keyEnv = (): KeyEnv => {
    const meta = engine.snapshot();
    const columns = stdout.columns || 80;
    const snapshot = store.getSnapshot();
    return {
      entries: store.history.entries,
      shell: snapshot,
      color,
      columns,
      complete: (text, cursor) => engine.complete(text, cursor, meta),
      isCommandLine: engine.isCommandLine,
      echo: (text, suffix = '') => echoText(snapshot.prompt, text, styled(text), columns) + suffix + '\n',
    };
  };
  const handleKeys = (keys: KeyEvent[]) => {
    for (const key of keys) dispatch({ type: 'key', key, env: keyEnv() });
  };

  // ---- the controller's finished text, above the live region ----
  // Once the frame before it is drawn: Ink redraws its last drawn frame under what is written, so
  // a queued statement's output would otherwise show the queue lines of a moment ago below it.
  useEffect(() => store.onOutput((text) => afterDrawn(() => writeOut(text))), [store, writeOut]);

  // ---- input: raw mode, bracketed paste, our own decoder ----
  // Ink reads stdin when raw mode is on; each read is also a 'data' event on the stream useStdin
  // gives, which the decoder takes whole (Ink's own key parsing drops pastes' brackets).
  const active = shell.dialog?.kind !== 'external';
  useEffect(() => {
    if (!active || !isRawModeSupported) return;
    setRawMode(true);
    stdout.write(PASTE_ON);
    const decoder = new KeyDecoder();
    let escape: NodeJS.Immediate | undefined;
    const onData = (data: string | Buffer) => {
      if (escape) clearImmediate(escape);
      handleKeys(decoder.feed(data.toString()));
      // A lone ESC is the Escape key unless the rest of a sequence is already queued behind it.
      escape = decoder.escapeWaiting ? setImmediate(() => handleKeys(decoder.flush())) : undefined;
    };
    stdin.on('data', onData);
    return () => {
      if (escape) clearImmediate(escape);
      stdin.off('data', onData);
      stdout.write(PASTE_OFF);
      setRawMode(false);
    };
  }, [active]);

  // An external program (the pager) waits for the terminal: the live region is drawn empty and
  // the input let go (above); Ink draws at most every 16.7 ms, so the empty frame is out after 20.
  useEffect(() => {
    if (shell.dialog?.kind !== 'external') return;
    const t = setTimeout(() => store.terminalReleased(), 20);
    return () => clearTimeout(t);
  }, [shell.dialog]);

  useEffect(() => {
    // Typed before the editor existed: decoded like any read.
    if (props.pending) {
      const decoder = new KeyDecoder();
      handleKeys([...decoder.feed(props.pending), ...decoder.flush()]);
    }
    props.onReady?.();
  }, []);

  // ---- side effects the keys asked for, in order, after the frame that shows their state ----
  useEffect(() => {
    if (!ui.effects.length) return;
    const effects = ui.effects;
    dispatch({ type: 'effects-done', count: effects.length });
    afterDrawn(() => {
      for (const e of effects) run(e);
    });
  }, [ui.effects]);

  const run = (e: Effect) => {
    switch (e.type) {
      case 'write':
        writeOut(e.text);
        break;
      case 'enter':
        void store.enter(e.text).then((r) => r.exit && quit());
        break;
      case 'cancel':
        void store.cancel();
        break;
      case 'take-queue':
        dispatch({ type: 'queue-back', texts: store.takeQueue() });
        break;
      case 'confirm':
        store.answerConfirm(e.yes);
        break;
      case 'auth':
        store.answerAuth(e.creds);
        break;
      case 'fetch': {
        const loading = engine.need?.(e.result);
        if (loading && e.retry) void loading.then(() => dispatch({ type: 'completion-ready', text: e.text, cursor: e.cursor, env: keyEnv() }));
        break;
      }
      case 'quit':
        quit();
        break;
    }
  };

  // Leaving: the live region is drawn empty first (Ink would otherwise leave the prompt with the
  // cursor on it), so the parent shell's prompt starts on a fresh line, as after 1.x's exit.
  const quit = () => {
    dispatch({ type: 'leave' });
    setTimeout(() => {
      props.frames?.flush();
      props.onExit();
      exit();
    }, 40);
  };

  // ---- render ----
  const dialog = shell.dialog;
  if (dialog?.kind === 'external' || ui.leaving) {
    setCursorPosition(undefined);
    drawn.next = null;
    return null;
  }
  const { columns: cols, rows: terminalRows } = size;
  const entries = store.history.entries;
  const ed = ui.editor;
  const mode = ui.mode;
  const progress = shell.progress;
  const ghost = color && !dialog && mode.kind === 'edit' && !ui.menu && ed.cursor === ed.text.length ? suggestFromHistory(entries, ed.text) : '';
  const lines: React.ReactElement[] = [];
  /** Each row's width, for a narrowing resize (reflow.ts). */
  const widths: number[] = [];
  let cursor: { x: number; y: number } | undefined;
  let y = 0;
  // `watch` draws its latest result here, in place, cut to the screen by the command.
  const frame = shell.running ? shell.frame : null;
  if (frame) {
    frame.forEach((l, i) =>
      lines.push(
        <Text key={`frame${i}`} wrap="truncate">
          {l}
        </Text>,
      ),
    );
    y += frame.length;
    for (const l of frame) widths.push(rowWidth(l, cols));
  }
  // No query status while a dialog waits for the user (auth's password prompt, a confirmation).
  if (shell.running && progress && !dialog) {
    lines.push(<StatusLine key="status" progress={progress} color={color} />);
    widths.push(rowWidth(statusText(progress), cols));
    y++;
  }
  if (dialog?.kind === 'confirm') {
    lines.push(<ConfirmDialog key="confirm" question={dialog.question} color={color} />);
    // It wraps: full rows, then the rest.
    const w = displayWidth(`${dialog.question} [y/N]`);
    for (let left = w; left > 0; left -= cols) widths.push(Math.min(left, cols));
  } else if (dialog?.kind === 'auth') {
    const label = ui.auth.step === 'user' ? 'username: ' : 'password: ';
    const shown = ui.auth.step === 'user' ? ui.auth.typed : '';
    lines.push(
      <Text key="auth" wrap="truncate">
        {label}
        {shown}
      </Text>,
    );
    cursor = { x: displayWidth(label + shown), y };
    widths.push(rowWidth(label + shown, cols));
  } else {
    const text = mode.kind === 'search' ? searchResult(entries, mode.search) : ed.text;
    const lay = layoutEditor({
      prompt: shell.prompt,
      text,
      styled: styled(text),
      cursor: mode.kind === 'search' ? text.length : ed.cursor,
      columns: cols,
      ghost,
      // The live region must stay shorter than the screen, or Ink repaints the scrollback.
      maxRows: terminalRows - 4 - (ui.menu ? 9 : 0) - (shell.running ? queueText(shell.queue).length : 0),
    });
    lines.push(<PromptLine key="prompt" rows={lay.rows} />);
    for (const r of lay.rows) widths.push(rowWidth(r, cols));
    cursor = { x: lay.cursor.x, y: y + lay.cursor.y };
    if (ui.menu) {
      lines.push(<CompletionMenu key="menu" candidates={ui.menu.result.candidates} selected={ui.menu.selected} indent={cursor.x} columns={cols} color={color} />);
    }
    if (mode.kind === 'search') {
      const s = mode.search;
      lines.push(<SearchLine key="search" query={s.query} match={s.match >= 0 ? entries[s.match]! : ''} found={s.match >= 0} />);
    }
  }
  if (shell.running && shell.queue.length) {
    lines.push(<QueueLines key="queue" queue={shell.queue} color={color} />);
    for (const l of queueText(shell.queue)) widths.push(rowWidth(l, cols));
  }
  if (ui.hint) {
    widths.push(rowWidth(ui.hint, cols));
    lines.push(
      <Text key="hint" dimColor={color} wrap="truncate">
        {ui.hint}
      </Text>,
    );
  }
  // Ink's useCursor takes the position during render and applies it when the frame commits.
  setCursorPosition(cursor);
  // Without a cursor Ink's own stands on the row after the frame.
  drawn.next = { above: widths.slice(0, cursor ? cursor.y : widths.length), cursor: cursor ?? { x: 0, y: widths.length }, columns: cols };
  return <Box flexDirection="column">{lines}</Box>;
}

/**
 * Erases the live region as a rewrapping terminal has it after a narrowing resize, before Ink
 * draws again (reflow.ts). Render sets `next`; it counts once the frame is committed.
 */
function useReflowErase(stdout: NodeJS.WriteStream): { next: DrawnFrame | null } {
  const pending = useRef<{ next: DrawnFrame | null }>({ next: null }).current;
  const committed = useRef<DrawnFrame | null>(null);
  useLayoutEffect(() => {
    committed.current = pending.next;
  });
  useEffect(() => {
    if (!terminalRewraps(process.env)) return;
    // Ahead of Ink's own resize listener, which erases the rows it knows of and draws again.
    const onResize = () => {
      const erase = reflowErase(committed.current, stdout.columns || 80);
      if (erase) stdout.write(erase);
    };
    stdout.prependListener('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  return pending;
}

/** The terminal's size, as state: a resize draws the live region again at the new width. */
function useTerminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  return size;
}
