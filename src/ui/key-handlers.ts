// What each key does in the shell, by mode: the confirm dialog, the auth prompt, reverse search
// and the editor, as one pure reducer. A key changes the view's state through the editor and
// history reducers (src/shell) and asks for side effects (scrollback text, running a buffer, a
// cancel) by listing them in the state; the view runs them after it renders.
import { editorReducer, emptyEditor, isOnFirstLine, isOnLastLine, type EditorAction, type EditorState } from '../shell/editor.js';
import { historyDown, historyUp, searchNext, searchResult, searchType, startNav, startSearch, suggestFromHistory, type HistoryNav, type ReverseSearch } from '../shell/history-nav.js';
import { needsMore } from '../shell/continuation.js';
import type { Dialog, ShellState } from '../shell/controller.js';
import type { KeyEvent } from './keys.js';
import { fitPrompt } from './layout.js';
import type { CompletionCandidate, CompletionResult } from './engine.js';

export type Mode = { kind: 'edit' } | { kind: 'search'; search: ReverseSearch };

export interface UiState {
  editor: EditorState;
  nav: HistoryNav;
  /** How many history entries there were when `nav` started; a run that adds one restarts it. */
  navFor: number;
  mode: Mode;
  /** Typing at auth's prompts: which one, the name given, and the text typed (never rendered at the password). */
  auth: { step: 'user' | 'pass'; username: string; typed: string };
  menu: { result: CompletionResult; selected: number } | null;
  hint: string | null;
  /** The dialog last answered: keys behind the answer in the same read go to the editor. */
  answered: Dialog | null;
  /** The run (its start time) Ctrl-C already cancelled, before the store says so. */
  cancelled: number | null;
  /** Exit was asked for: the live region is drawn empty before Ink unmounts. */
  leaving: boolean;
  /** Side effects asked for by the actions so far, oldest first; the view runs and drops them. */
  effects: readonly Effect[];
}

export type Effect =
  | { type: 'write'; text: string }
  | { type: 'enter'; text: string }
  | { type: 'cancel' }
  | { type: 'take-queue' }
  | { type: 'confirm'; yes: boolean }
  | { type: 'auth'; creds: { username: string; password: string } | null }
  /** The completer lacks data (tag values, a database): fetch it; `retry` completes again after. */
  | { type: 'fetch'; result: CompletionResult; text: string; cursor: number; retry: boolean }
  | { type: 'quit' };

/** What a key may read besides the view's state, all taken when the key arrived. */
export interface KeyEnv {
  entries: readonly string[];
  shell: ShellState;
  color: boolean;
  columns: number;
  /** Completes over the metadata as it was when the key arrived. */
  complete(text: string, cursor: number): CompletionResult;
  /** The buffer starts with a shell command (Enter runs it as it is, never waits for more). */
  isCommandLine(text: string): boolean;
  /** A buffer as echoed to the scrollback after the prompt, with `suffix` after it and a newline. */
  echo(text: string, suffix?: string): string;
}

export type UiAction =
  | { type: 'key'; key: KeyEvent; env: KeyEnv }
  /** What a completion lacked has arrived: complete again if nothing moved meanwhile. */
  | { type: 'completion-ready'; text: string; cursor: number; env: KeyEnv }
  /** Ctrl-C twice: the type-ahead comes back into the editor. */
  | { type: 'queue-back'; texts: string[] }
  | { type: 'effects-done'; count: number }
  | { type: 'leave' };

export function initialUi(entries: readonly string[]): UiState {
  return {
    editor: emptyEditor(),
    nav: startNav(entries),
    navFor: entries.length,
    mode: { kind: 'edit' },
    auth: { step: 'user', username: '', typed: '' },
    menu: null,
    hint: null,
    answered: null,
    cancelled: null,
    leaving: false,
    effects: [],
  };
}

/** A key's view of the state: a copy it may change, the actions, and the effects it asks for. */
interface KeyContext {
  st: UiState;
  env: KeyEnv;
  emit(e: Effect): void;
  edit(a: EditorAction): void;
  resetNav(): void;
  submit(): void;
  openCompletion(step: number): void;
  applyCandidate(result: CompletionResult, c: CompletionCandidate): void;
}

export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'effects-done':
      return { ...state, effects: state.effects.slice(action.count) };
    case 'leave':
      return { ...state, leaving: true };
    case 'queue-back': {
      const text = [...action.texts, ...(state.editor.text ? [state.editor.text] : [])].join('\n');
      return { ...state, editor: editorReducer(state.editor, { type: 'set', text }) };
    }
    case 'completion-ready':
      return withContext(state, action.env, (ctx) => {
        const { st } = ctx;
        if (st.editor.text === action.text && st.editor.cursor === action.cursor && !st.menu && st.mode.kind === 'edit' && !action.env.shell.dialog) ctx.openCompletion(1);
      });
    case 'key':
      return withContext(state, action.env, (ctx) => dispatchKey(ctx, action.key));
  }
}

function withContext(state: UiState, env: KeyEnv, run: (ctx: KeyContext) => void): UiState {
  const st: UiState = { ...state };
  const added: Effect[] = [];
  const ctx: KeyContext = {
    st,
    env,
    emit: (e) => void added.push(e),
    edit: (a) => void (st.editor = editorReducer(st.editor, a)),
    resetNav: () => {
      st.nav = startNav(env.entries);
      st.navFor = env.entries.length;
    },
    submit: () => {
      added.push({ type: 'enter', text: st.editor.text });
      st.menu = null;
      st.hint = null;
      st.editor = { ...emptyEditor(), killRing: st.editor.killRing };
    },
    openCompletion: (step) => openCompletion(ctx, step),
    applyCandidate: (result, c) => {
      ctx.edit({ type: 'replace', start: result.start, end: result.end, text: c.value });
      st.menu = null;
    },
  };
  // A run added history entries: navigation starts again from the newest.
  if (st.navFor !== env.entries.length) ctx.resetNav();
  run(ctx);
  if (added.length) st.effects = [...state.effects, ...added];
  return st;
}

function openCompletion(ctx: KeyContext, step: number): void {
  const { st, env } = ctx;
  if (st.menu) {
    const n = st.menu.result.candidates.length;
    st.menu = { ...st.menu, selected: (st.menu.selected + step + n) % n };
    return;
  }
  const { text, cursor } = st.editor;
  const result = env.complete(text, cursor);
  const c = result.candidates;
  // Tag values are fetched on demand: with nothing to offer yet, complete again when they arrive.
  if (result.fetch) ctx.emit({ type: 'fetch', result, text, cursor, retry: !c.length });
  if (!c.length) return;
  // One candidate, or one that starts with what was typed among fuzzy ones: complete at once.
  const typedWord = text.slice(result.start, result.end).replace(/^"/, '').toLowerCase();
  const prefixed = typedWord ? c.filter((x) => x.value.replace(/^"/, '').toLowerCase().startsWith(typedWord)) : [];
  if (c.length === 1 || prefixed.length === 1) {
    ctx.applyCandidate(result, c.length === 1 ? c[0]! : prefixed[0]!);
    return;
  }
  // Insert what all candidates share, then show the menu.
  const common = commonPrefix(c.map((x) => x.value));
  const typed = text.slice(result.start, result.end);
  let shown = result;
  if (common.length > typed.length && common.toLowerCase().startsWith(typed.toLowerCase())) {
    ctx.edit({ type: 'replace', start: result.start, end: result.end, text: common });
    shown = { ...result, end: result.start + common.length };
  }
  st.menu = { result: shown, selected: 0 };
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

function dispatchKey(ctx: KeyContext, k: KeyEvent): void {
  const { st, emit } = ctx;
  const open = ctx.env.shell.dialog;
  const dialog = open !== st.answered ? open : null;
  if (dialog?.kind === 'external') return;
  if (dialog?.kind === 'confirm') {
    // The controller writes the question and the answer to the scrollback.
    const yes = k.name === 'text' && /^y(es)?$/i.test(k.text ?? '');
    if (yes || k.name === 'text' || k.name === 'enter' || k.name === 'ctrl-c' || k.name === 'escape' || k.name === 'ctrl-d') {
      emit({ type: 'confirm', yes });
      st.answered = dialog;
    }
    return;
  }
  if (dialog?.kind === 'auth') {
    handleAuthKey(ctx, k);
    return;
  }
  const mode = st.mode;
  if (mode.kind === 'search') {
    if (handleSearchKey(ctx, mode, k)) {
      return;
    }
  }
  handleEditKey(ctx, k);
}

function handleAuthKey(ctx: KeyContext, k: KeyEvent): void {
  const { st, emit } = ctx;
  const a = st.auth;
  const fresh = { step: 'user' as const, username: '', typed: '' };
  if (k.name === 'ctrl-c' || k.name === 'escape') {
    emit({ type: 'write', text: 'auth cancelled\n' });
    st.auth = fresh;
    st.answered = ctx.env.shell.dialog;
    emit({ type: 'auth', creds: null });
    return;
  }
  if (k.name === 'text' || k.name === 'paste') st.auth = { ...a, typed: a.typed + (k.text ?? '').replace(/\n/g, '') };
  else if (k.name === 'backspace') st.auth = { ...a, typed: a.typed.slice(0, -1) };
  else if (k.name === 'enter') {
    if (a.step === 'user') {
      emit({ type: 'write', text: `username: ${a.typed}\n` });
      st.auth = { step: 'pass', username: a.typed, typed: '' };
    } else {
      emit({ type: 'write', text: 'password: \n' });
      st.auth = fresh;
      st.answered = ctx.env.shell.dialog;
      emit({ type: 'auth', creds: { username: a.username, password: a.typed } });
    }
  }
}

/** Returns true when the key was consumed by the search. */
function handleSearchKey(ctx: KeyContext, mode: Extract<Mode, { kind: 'search' }>, k: KeyEvent): boolean {
  const { st, edit, submit } = ctx;
  const entries = ctx.env.entries;
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
      submit();
      return true;
    default:
      // Any other key takes the match into the editor and then acts there.
      edit({ type: 'set', text: searchResult(entries, s) });
      st.mode = { kind: 'edit' };
      return false;
  }
}

function handleEditKey(ctx: KeyContext, k: KeyEvent): void {
  const { st, env, emit, edit, resetNav, submit, openCompletion, applyCandidate } = ctx;
  const { entries, shell } = env;
  const ed = st.editor;
  const ghost = () => (env.color && ed.cursor === ed.text.length ? suggestFromHistory(entries, ed.text) : '');
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
      // A copied block usually ends with its last line's newline: Enter runs it, no empty `->` line.
      edit({ type: 'insert', text: (k.text ?? '').replace(/[\r\n]+$/, '') });
      resetNav();
      break;
    case 'enter': {
      if (st.menu) {
        const m = st.menu;
        applyCandidate(m.result, m.result.candidates[m.selected]!);
        break;
      }
      const text = ed.text;
      if (text.trim() && !env.isCommandLine(text) && needsMore(text)) {
        edit({ type: 'insert', text: '\n' });
        break;
      }
      submit();
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
        if (shell.running) {
          st.hint = 'A query is running: Ctrl-C cancels it.';
          break;
        }
        emit({ type: 'write', text: fitPrompt(shell.prompt, env.columns) + '\n' });
        emit({ type: 'quit' });
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
      // Clear the screen only: the scrollback is the user's (no \e[3J), as in bash and 1.x.
      emit({ type: 'write', text: '\x1b[H\x1b[2J' });
      break;
    case 'ctrl-r':
      st.menu = null;
      st.mode = { kind: 'search', search: startSearch(entries, ed.text) };
      break;
    case 'ctrl-c':
      if (shell.running) {
        // Ctrl-C stops the running statement only. Pressed again while that cancel is under way,
        // it takes the statements typed ahead back into the editor instead of running them.
        const p = shell.progress;
        if ((p?.cancelling || (p && st.cancelled === p.startedAt)) && shell.queue.length) {
          emit({ type: 'take-queue' });
          resetNav();
        }
        emit({ type: 'cancel' });
        st.cancelled = p?.startedAt ?? null;
      } else if (ed.text || st.menu) {
        emit({ type: 'write', text: env.echo(ed.text, '^C') });
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
}
