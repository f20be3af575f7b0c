// The interactive shell's view: a few live lines (status, editor, menu, dialogs) under the
// scrollback. Keys become editor/history actions (pure reducers in src/shell); submitted text
// goes to the ShellController, which writes finished results above the live region.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useApp, useCursor, useStdin, useStdout } from 'ink';
import { editorReducer, emptyEditor, type EditorAction } from '../shell/editor.js';
import { searchResult, startNav, suggestFromHistory } from '../shell/history-nav.js';
import type { Screen, ShellController } from '../shell/controller.js';
import { KeyDecoder, type KeyEvent } from './keys.js';
import { dispatchKey, type KeyContext, type UiState } from './key-handlers.js';
import { layoutEditor } from './layout.js';
import { PromptLine } from './prompt-line.js';
import { CompletionMenu } from './completion-menu.js';
import { StatusLine } from './status-line.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { SearchLine } from './search-line.js';
import { QueueLines, queueText } from './queue-lines.js';
import type { CompletionCandidate, CompletionResult, MetadataSnapshot } from './engine.js';
import { displayWidth } from '../format/cells.js';

export interface EngineView {
  complete(text: string, cursor: number, meta: MetadataSnapshot): CompletionResult;
  highlight(text: string, opts: { color: boolean }): string;
  snapshot(): MetadataSnapshot;
  /** Asks the metadata cache for what the completer said it lacked (tag values, a database). */
  need?(result: CompletionResult): Promise<void> | undefined;
}

export interface AppProps {
  controller: ShellController;
  engine: EngineView;
  color: boolean;
  /** Raw input typed before the app mounted. */
  pending?: string;
  /** Installs the view's side of the controller's Screen. */
  bind(view: ViewHandle): void;
  onExit(): void;
  /** Called once the first frame with the prompt has been rendered. */
  onReady?(): void;
}

/** The controller's Screen, plus a way to redraw the live region. */
export interface ViewHandle extends Screen {
  refresh(): void;
}

const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';

export function App(props: AppProps): React.ReactElement | null {
  const { controller, engine, color } = props;
  const { exit } = useApp();
  const { stdout, write: writeOut } = useStdout();
  const { setRawMode, internal_eventEmitter: emitter, isRawModeSupported } = useStdin() as ReturnType<typeof useStdin> & { internal_eventEmitter?: NodeJS.EventEmitter };
  const { setCursorPosition } = useCursor();
  const [, setTick] = useState(0);
  const rerender = () => setTick((t) => t + 1);
  const st = useRef<UiState>({
    editor: emptyEditor(),
    nav: startNav(controller.history.entries),
    mode: { kind: 'edit' },
    menu: null,
    running: false,
    hint: null,
    secret: '',
    queue: [],
  }).current;
  const decoder = useRef(new KeyDecoder()).current;
  const columns = () => stdout?.columns || 80;
  const terminalRows = () => stdout?.rows || 24;
  // Highlighting a huge buffer on every key would make typing lag; past 64 KB it stays plain.
  const styledText = (text: string) => (text.length > 65536 ? text : engine.highlight(text, { color }));
  const [, setClock] = useState(0);

  // ---- the view side of the controller's Screen ----
  useEffect(() => {
    props.bind({
      write: (t) => writeOut(t),
      error: (t) => writeOut(t),
      confirm: (question) =>
        new Promise<boolean>((resolve) => {
          st.mode = { kind: 'confirm', question, resolve };
          rerender();
        }),
      promptAuth: () =>
        new Promise((resolve) => {
          st.mode = { kind: 'auth', step: 'user', username: '', resolve };
          st.secret = '';
          rerender();
        }),
      external: async (run) => {
        st.mode = { kind: 'external' };
        rerender();
        await new Promise((r) => setTimeout(r, 20));
        stdout.write(PASTE_OFF);
        try {
          await run();
        } finally {
          stdout.write(PASTE_ON);
          st.mode = { kind: 'edit' };
          rerender();
        }
      },
      columns,
      refresh: rerender,
    });
  }, []);

  // ---- spinner clock while a query runs ----
  useEffect(() => {
    if (!st.running) return;
    const t = setInterval(() => setClock((c) => c + 1), 100);
    return () => clearInterval(t);
  }, [st.running]);

  useEffect(() => {
    const onResize = () => rerender();
    stdout?.on('resize', onResize);
    return () => void stdout?.off('resize', onResize);
  }, [stdout]);

  // ---- input: raw mode, bracketed paste, our own decoder ----
  const active = st.mode.kind !== 'external';
  useEffect(() => {
    if (!active || !isRawModeSupported) return;
    setRawMode(true);
    stdout.write(PASTE_ON);
    const onInput = (data: string) => {
      for (const k of decoder.push(data)) handleKey(k);
    };
    emitter?.on('input', onInput);
    return () => {
      emitter?.off('input', onInput);
      stdout.write(PASTE_OFF);
      setRawMode(false);
    };
  }, [active]);

  useEffect(() => {
    if (props.pending) {
      // Typed before the editor existed: Ink's parser never saw it, so split escape sequences here.
      for (const part of splitEscapes(props.pending)) for (const k of decoder.push(part)) handleKey(k);
    }
    props.onReady?.();
  }, []);

  // ---- actions ----
  const edit = (a: EditorAction) => {
    st.editor = editorReducer(st.editor, a);
  };

  const resetNav = () => {
    st.nav = startNav(controller.history.entries);
  };

  // What was run goes to the scrollback whole, as a terminal would have echoed it (no window).
  const echo = (text: string, suffix = '') => {
    const lay = layoutEditor({ prompt: controller.prompt(), text, styled: styledText(text), cursor: 0, columns: columns() });
    writeOut(lay.rows.join('\n') + suffix + '\n');
  };

  const submit = async () => {
    const text = st.editor.text;
    st.menu = null;
    st.hint = null;
    st.editor = { ...emptyEditor(), killRing: st.editor.killRing };
    if (st.running) {
      st.queue.push(text);
      rerender();
      return;
    }
    if (!text.trim()) {
      echo('');
      rerender();
      return;
    }
    let next: string | undefined = text;
    while (next !== undefined) {
      echo(next);
      st.running = true;
      rerender();
      let done: boolean;
      try {
        done = (await controller.submit(next)).exit;
      } finally {
        st.running = false;
        resetNav();
        rerender();
      }
      if (done) {
        quit();
        return;
      }
      // Blank type-ahead lines are dropped; the rest run in the order typed.
      do next = st.queue.shift();
      while (next !== undefined && !next.trim());
    }
  };

  // Leaving: the live region is drawn empty first (Ink would otherwise leave the prompt with the
  // cursor on it), so the parent shell's prompt starts on a fresh line, as after 1.x's exit.
  const leaving = useRef(false);
  const quit = () => {
    leaving.current = true;
    setCursorPosition(undefined);
    rerender();
    setTimeout(() => {
      props.onExit();
      exit();
    }, 40);
  };

  const openCompletion = (step: number) => {
    if (st.menu) {
      const n = st.menu.result.candidates.length;
      st.menu.selected = (st.menu.selected + step + n) % n;
      return;
    }
    const { text, cursor } = st.editor;
    const result = engine.complete(text, cursor, engine.snapshot());
    const c = result.candidates;
    const loading = engine.need?.(result);
    if (loading && !c.length) {
      // Tag values are fetched on demand: complete again when they arrive, if nothing moved.
      void loading.then(() => {
        if (st.editor.text === text && st.editor.cursor === cursor && !st.menu && st.mode.kind === 'edit') {
          openCompletion(1);
          rerender();
        }
      });
    }
    if (!c.length) return;
    // One candidate, or one that starts with what was typed among fuzzy ones: complete at once.
    const typedWord = text.slice(result.start, result.end).replace(/^"/, '').toLowerCase();
    const prefixed = typedWord ? c.filter((x) => x.value.replace(/^"/, '').toLowerCase().startsWith(typedWord)) : [];
    if (c.length === 1 || prefixed.length === 1) {
      applyCandidate(result, c.length === 1 ? c[0]! : prefixed[0]!);
      return;
    }
    // Insert what all candidates share, then show the menu.
    const common = commonPrefix(c.map((x) => x.value));
    const typed = text.slice(result.start, result.end);
    if (common.length > typed.length && common.toLowerCase().startsWith(typed.toLowerCase())) {
      edit({ type: 'replace', start: result.start, end: result.end, text: common });
      result.end = result.start + common.length;
    }
    st.menu = { result, selected: 0 };
  };

  const applyCandidate = (result: CompletionResult, c: CompletionCandidate) => {
    edit({ type: 'replace', start: result.start, end: result.end, text: c.value });
    st.menu = null;
  };

  const keyContext: KeyContext = { st, controller, color, edit, resetNav, echo, submit, quit, openCompletion, applyCandidate, writeOut, columns };
  const handleKey = (k: KeyEvent) => {
    dispatchKey(keyContext, k);
    rerender();
  };

  // ---- render ----
  const mode = st.mode;
  if (mode.kind === 'external' || leaving.current) return null;
  const cols = columns();
  const ed = st.editor;
  const progress = controller.progress;
  const ghost = color && mode.kind === 'edit' && !st.menu && ed.cursor === ed.text.length ? suggestFromHistory(controller.history.entries, ed.text) : '';
  const lines: React.ReactElement[] = [];
  let cursor: { x: number; y: number } | undefined;
  let y = 0;
  // `watch` draws its latest result here, in place, cut to the screen by the command.
  const frame = st.running ? controller.frame : null;
  if (frame) {
    frame.forEach((l, i) =>
      lines.push(
        <Text key={`frame${i}`} wrap="truncate">
          {l}
        </Text>,
      ),
    );
    y += frame.length;
  }
  // No query status while a dialog waits for the user (auth's password prompt, a confirmation).
  if (st.running && progress && mode.kind !== 'auth' && mode.kind !== 'confirm') {
    lines.push(<StatusLine key="status" progress={progress} now={performance.now()} color={color} />);
    y++;
  }
  if (mode.kind === 'confirm') {
    lines.push(<ConfirmDialog key="confirm" question={mode.question} color={color} />);
  } else if (mode.kind === 'auth') {
    const label = mode.step === 'user' ? 'username: ' : 'password: ';
    const shown = mode.step === 'user' ? st.secret : '';
    lines.push(
      <Text key="auth" wrap="truncate">
        {label}
        {shown}
      </Text>,
    );
    cursor = { x: displayWidth(label + shown), y };
  } else {
    const text = mode.kind === 'search' ? searchResult(controller.history.entries, mode.search) : ed.text;
    const lay = layoutEditor({
      prompt: controller.prompt(),
      text,
      styled: styledText(text),
      cursor: mode.kind === 'search' ? text.length : ed.cursor,
      columns: cols,
      ghost,
      // The live region must stay shorter than the screen, or Ink repaints the scrollback.
      maxRows: terminalRows() - 4 - (st.menu ? 9 : 0) - (st.running ? queueText(st.queue).length : 0),
    });
    lines.push(<PromptLine key="prompt" rows={lay.rows} />);
    cursor = { x: lay.cursor.x, y: y + lay.cursor.y };
    if (st.menu) {
      lines.push(<CompletionMenu key="menu" candidates={st.menu.result.candidates} selected={st.menu.selected} indent={cursor.x} columns={cols} color={color} />);
    }
    if (mode.kind === 'search') {
      const s = mode.search;
      lines.push(<SearchLine key="search" query={s.query} match={s.match >= 0 ? controller.history.entries[s.match]! : ''} found={s.match >= 0} />);
    }
  }
  if (st.running && st.queue.length) lines.push(<QueueLines key="queue" queue={st.queue} color={color} />);
  if (st.hint) {
    lines.push(
      <Text key="hint" dimColor={color} wrap="truncate">
        {st.hint}
      </Text>,
    );
  }
  setCursorPosition(cursor);
  return <Box flexDirection="column">{lines}</Box>;
}

/** Cuts raw input into runs of text and single escape sequences, as Ink's input parser does. */
export function splitEscapes(raw: string): string[] {
  return raw.match(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1bO.|\x1b[\s\S]?|[^\x1b]+/g) ?? [];
}

function commonPrefix(values: string[]): string {
  if (!values.length) return '';
  let p = values[0]!;
  for (const v of values) {
    let i = 0;
    while (i < p.length && i < v.length && p[i]!.toLowerCase() === v[i]!.toLowerCase()) i++;
    p = p.slice(0, i);
  }
  return p;
}
