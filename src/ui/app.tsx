// The interactive shell's view: a few live lines (status, editor, menu, dialogs) under the
// scrollback. Keys become editor/history actions (pure reducers in src/shell); submitted text
// goes to the ShellController, which writes finished results above the live region.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useApp, useCursor, useStdin, useStdout } from 'ink';
import { editorReducer, emptyEditor, isOnFirstLine, isOnLastLine, type EditorAction, type EditorState } from '../shell/editor.js';
import { historyDown, historyUp, searchNext, searchResult, searchType, startNav, startSearch, suggestFromHistory, type HistoryNav, type ReverseSearch } from '../shell/history-nav.js';
import { needsMore } from '../shell/continuation.js';
import { isCommandLine } from '../shell/commands.js';
import type { ShellController } from '../shell/controller.js';
import { KeyDecoder, type KeyEvent } from './keys.js';
import { fitPrompt, layoutEditor } from './layout.js';
import { PromptLine } from './prompt-line.js';
import { CompletionMenu } from './completion-menu.js';
import { StatusLine } from './status-line.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { SearchLine } from './search-line.js';
import type { CompletionCandidate, CompletionResult, MetadataSnapshot } from './engine.js';
import { displayWidth } from '../format/cells.js';

export interface EngineView {
  complete(text: string, cursor: number, meta: MetadataSnapshot): CompletionResult;
  highlight(text: string, opts: { color: boolean }): string;
  snapshot(): MetadataSnapshot;
  /** Asks the metadata cache for what the completer said it lacked (tag values, a database). */
  need?(result: CompletionResult): Promise<void> | undefined;
}

type Mode =
  | { kind: 'edit' }
  | { kind: 'search'; search: ReverseSearch }
  | { kind: 'confirm'; question: string; resolve: (yes: boolean) => void }
  | { kind: 'auth'; step: 'user' | 'pass'; username: string; resolve: (v: { username: string; password: string } | null) => void }
  | { kind: 'external' };

interface UiState {
  editor: EditorState;
  nav: HistoryNav;
  mode: Mode;
  menu: { result: CompletionResult; selected: number } | null;
  running: boolean;
  hint: string | null;
  /** Secret text typed at the password prompt; never rendered. */
  secret: string;
  /** Statements entered while another ran (type-ahead), run in order afterwards. */
  queue: string[];
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

export interface ViewHandle {
  write(text: string): void;
  error(text: string): void;
  confirm(question: string): Promise<boolean>;
  promptAuth(): Promise<{ username: string; password: string } | null>;
  external(run: () => Promise<void>): Promise<void>;
  columns(): number;
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

  const echo = (text: string, suffix = '') => {
    const lay = layoutEditor({ prompt: controller.prompt(), text, styled: styledText(text), cursor: 0, columns: columns(), maxRows: 20 });
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
      let done = false;
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

  const quit = () => {
    setCursorPosition(undefined);
    props.onExit();
    exit();
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
    if (c.length === 1) {
      applyCandidate(result, c[0]!);
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

  const handleKey = (k: KeyEvent) => {
    const mode = st.mode;
    if (mode.kind === 'external') return;
    if (mode.kind === 'confirm') {
      if (k.name === 'text' && /^y(es)?$/i.test(k.text ?? '')) {
        writeOut(`${mode.question} [y/N] y\n`);
        st.mode = { kind: 'edit' };
        mode.resolve(true);
      } else if (k.name === 'text' || k.name === 'enter' || k.name === 'ctrl-c' || k.name === 'escape' || k.name === 'ctrl-d') {
        writeOut(`${mode.question} [y/N] n\n`);
        st.mode = { kind: 'edit' };
        mode.resolve(false);
      }
      rerender();
      return;
    }
    if (mode.kind === 'auth') {
      handleAuthKey(mode, k);
      rerender();
      return;
    }
    if (mode.kind === 'search') {
      if (handleSearchKey(mode, k)) {
        rerender();
        return;
      }
    }
    handleEditKey(k);
    rerender();
  };

  const handleAuthKey = (mode: Extract<Mode, { kind: 'auth' }>, k: KeyEvent) => {
    if (k.name === 'ctrl-c' || k.name === 'escape') {
      writeOut('auth cancelled\n');
      st.mode = { kind: 'edit' };
      st.secret = '';
      mode.resolve(null);
      return;
    }
    if (k.name === 'text' || k.name === 'paste') st.secret += (k.text ?? '').replace(/\n/g, '');
    else if (k.name === 'backspace') st.secret = st.secret.slice(0, -1);
    else if (k.name === 'enter') {
      if (mode.step === 'user') {
        writeOut(`username: ${st.secret}\n`);
        st.mode = { ...mode, step: 'pass', username: st.secret };
        st.secret = '';
      } else {
        writeOut('password: \n');
        const creds = { username: mode.username, password: st.secret };
        st.secret = '';
        st.mode = { kind: 'edit' };
        mode.resolve(creds);
      }
    }
  };

  /** Returns true when the key was consumed by the search. */
  const handleSearchKey = (mode: Extract<Mode, { kind: 'search' }>, k: KeyEvent): boolean => {
    const entries = controller.history.entries;
    const s = mode.search;
    switch (k.name) {
      case 'text':
        st.mode = { kind: 'search', search: searchType(entries, s, s.query + (k.text ?? '')) };
        return true;
      case 'backspace':
        st.mode = { kind: 'search', search: searchType(entries, { ...s, match: -1 }, s.query.slice(0, -1)) };
        return true;
      case 'ctrl-r':
        st.mode = { kind: 'search', search: searchNext(entries, s) };
        return true;
      case 'ctrl-g':
      case 'ctrl-c':
      case 'escape':
        edit({ type: 'set', text: s.original });
        st.mode = { kind: 'edit' };
        return true;
      case 'enter':
        edit({ type: 'set', text: searchResult(entries, s) });
        st.mode = { kind: 'edit' };
        void submit();
        return true;
      default:
        // Any other key takes the match into the editor and then acts there.
        edit({ type: 'set', text: searchResult(entries, s) });
        st.mode = { kind: 'edit' };
        return false;
    }
  };

  const handleEditKey = (k: KeyEvent) => {
    const entries = controller.history.entries;
    const ed = st.editor;
    const ghost = () => (color && ed.cursor === ed.text.length ? suggestFromHistory(entries, ed.text) : '');
    if (k.name !== 'tab' && k.name !== 'shift-tab' && k.name !== 'up' && k.name !== 'down' && k.name !== 'enter') {
      if (st.menu && k.name !== 'escape' && k.name !== 'ctrl-g') st.menu = null;
    }
    if (k.name !== 'ctrl-c' && k.name !== 'ctrl-d') st.hint = null;
    switch (k.name) {
      case 'text':
        edit({ type: 'insert', text: k.text ?? '' });
        resetNav();
        break;
      case 'paste':
        edit({ type: 'insert', text: k.text ?? '' });
        resetNav();
        break;
      case 'enter': {
        if (st.menu) {
          const m = st.menu;
          applyCandidate(m.result, m.result.candidates[m.selected]!);
          break;
        }
        const text = ed.text;
        if (text.trim() && !isCommandLine(text) && needsMore(text)) {
          edit({ type: 'insert', text: '\n' });
          break;
        }
        void submit();
        break;
      }
      case 'newline':
        edit({ type: 'insert', text: '\n' });
        break;
      case 'tab':
        openCompletion(1);
        break;
      case 'shift-tab':
        if (st.menu) openCompletion(-1);
        break;
      case 'escape':
      case 'ctrl-g':
        st.menu = null;
        break;
      case 'up':
      case 'ctrl-p':
        if (st.menu) openCompletion(-1);
        else if (!isOnFirstLine(ed)) edit({ type: 'up' });
        else {
          const r = historyUp(entries, st.nav, ed.text);
          if (r) {
            st.nav = r.nav;
            edit({ type: 'set', text: r.text });
          }
        }
        break;
      case 'down':
      case 'ctrl-n':
        if (st.menu) openCompletion(1);
        else if (!isOnLastLine(ed)) edit({ type: 'down' });
        else {
          const r = historyDown(entries, st.nav, ed.text);
          if (r) {
            st.nav = r.nav;
            edit({ type: 'set', text: r.text });
          }
        }
        break;
      case 'left':
      case 'ctrl-b':
        edit({ type: 'left' });
        break;
      case 'right':
      case 'ctrl-f': {
        const g = ghost();
        if (g && ed.cursor === ed.text.length) edit({ type: 'insert', text: g });
        else edit({ type: 'right' });
        break;
      }
      case 'home':
      case 'ctrl-a':
        edit({ type: 'line-start' });
        break;
      case 'end':
      case 'ctrl-e':
        edit({ type: 'line-end' });
        break;
      case 'word-left':
      case 'alt-b':
        edit({ type: 'word-left' });
        break;
      case 'word-right':
      case 'alt-f':
        edit({ type: 'word-right' });
        break;
      case 'backspace':
        edit({ type: 'backspace' });
        resetNav();
        break;
      case 'delete':
        edit({ type: 'delete' });
        break;
      case 'ctrl-d':
        if (!ed.text) {
          if (st.running) {
            st.hint = 'A query is running: Ctrl-C cancels it.';
            break;
          }
          writeOut(fitPrompt(controller.prompt(), columns()) + '\n');
          quit();
        } else edit({ type: 'delete' });
        break;
      case 'ctrl-k':
        edit({ type: 'kill-to-end' });
        break;
      case 'ctrl-u':
        edit({ type: 'kill-to-start' });
        break;
      case 'ctrl-w':
      case 'kill-word-back':
        edit({ type: 'kill-word-back' });
        break;
      case 'alt-d':
        edit({ type: 'kill-word-forward' });
        break;
      case 'ctrl-y':
        edit({ type: 'yank' });
        break;
      case 'alt-y':
        edit({ type: 'yank-pop' });
        break;
      case 'ctrl-t':
        edit({ type: 'transpose' });
        break;
      case 'ctrl-l':
        writeOut('\x1b[2J\x1b[3J\x1b[H');
        break;
      case 'ctrl-r':
        st.menu = null;
        st.mode = { kind: 'search', search: startSearch(entries, ed.text) };
        break;
      case 'ctrl-c':
        if (st.running) {
          st.queue = [];
          void controller.cancel();
        } else if (ed.text || st.menu) {
          echo(ed.text, '^C');
          st.editor = { ...emptyEditor(), killRing: ed.killRing };
          st.menu = null;
          resetNav();
        } else {
          st.hint = 'To leave, press Ctrl-D or type exit.';
        }
        break;
      default:
        break;
    }
  };

  // ---- render ----
  const mode = st.mode;
  if (mode.kind === 'external') return null;
  const cols = columns();
  const ed = st.editor;
  const progress = controller.progress;
  const ghost = color && mode.kind === 'edit' && !st.menu && ed.cursor === ed.text.length ? suggestFromHistory(controller.history.entries, ed.text) : '';
  const lines: React.ReactElement[] = [];
  let cursor: { x: number; y: number } | undefined;
  let y = 0;
  if (st.running && progress) {
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
      maxRows: terminalRows() - 4 - (st.menu ? 9 : 0),
    });
    lines.push(<PromptLine key="prompt" rows={lay.rows} />);
    cursor = { x: lay.cursor.x, y: y + lay.cursor.y };
    y += lay.rows.length;
    if (st.menu) {
      lines.push(<CompletionMenu key="menu" candidates={st.menu.result.candidates} selected={st.menu.selected} indent={cursor.x} columns={cols} color={color} />);
    }
    if (mode.kind === 'search') {
      const s = mode.search;
      lines.push(<SearchLine key="search" query={s.query} match={s.match >= 0 ? controller.history.entries[s.match]! : ''} found={s.match >= 0} />);
    }
  }
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
  return raw.match(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1bO.|\x1b[\s\S]?|[^\x1b]+/g) ?? [];
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
