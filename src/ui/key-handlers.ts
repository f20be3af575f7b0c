// What each key does in the shell, by mode: the confirm dialog, the auth prompt, reverse search
// and the editor. The view (app.tsx) owns the state object and the actions; these functions only
// decide, so the whole key map reads in one place.
import { emptyEditor, isOnFirstLine, isOnLastLine, type EditorAction, type EditorState } from '../shell/editor.js';
import { historyDown, historyUp, searchNext, searchResult, searchType, startSearch, suggestFromHistory, type HistoryNav, type ReverseSearch } from '../shell/history-nav.js';
import { needsMore } from '../shell/continuation.js';
import { isCommandLine } from '../shell/commands.js';
import type { ShellController } from '../shell/controller.js';
import type { KeyEvent } from './keys.js';
import { fitPrompt } from './layout.js';
import type { CompletionCandidate, CompletionResult } from './engine.js';

export type Mode =
  | { kind: 'edit' }
  | { kind: 'search'; search: ReverseSearch }
  | { kind: 'confirm'; question: string; resolve: (yes: boolean) => void }
  | { kind: 'auth'; step: 'user' | 'pass'; username: string; resolve: (v: { username: string; password: string } | null) => void }
  | { kind: 'external' };

export interface UiState {
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

/** The view's state and actions, as the key handlers see them. */
export interface KeyContext {
  st: UiState;
  controller: ShellController;
  color: boolean;
  edit(a: EditorAction): void;
  resetNav(): void;
  /** Writes the prompt and `text` to the scrollback (what was run, or cleared with ^C). */
  echo(text: string, suffix?: string): void;
  submit(): Promise<void>;
  quit(): void;
  openCompletion(step: number): void;
  applyCandidate(result: CompletionResult, c: CompletionCandidate): void;
  writeOut(text: string): void;
  columns(): number;
}

export function dispatchKey(ctx: KeyContext, k: KeyEvent): void {
  const { st, writeOut } = ctx;
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
    return;
  }
  if (mode.kind === 'auth') {
    handleAuthKey(ctx, mode, k);
    return;
  }
  if (mode.kind === 'search') {
    if (handleSearchKey(ctx, mode, k)) {
      return;
    }
  }
  handleEditKey(ctx, k);
}

function handleAuthKey(ctx: KeyContext, mode: Extract<Mode, { kind: 'auth' }>, k: KeyEvent): void {
  const { st, writeOut } = ctx;
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
}

/** Returns true when the key was consumed by the search. */
function handleSearchKey(ctx: KeyContext, mode: Extract<Mode, { kind: 'search' }>, k: KeyEvent): boolean {
  const { st, controller, edit, submit } = ctx;
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
}

function handleEditKey(ctx: KeyContext, k: KeyEvent): void {
  const { st, controller, color, edit, resetNav, echo, submit, quit, openCompletion, applyCandidate, writeOut, columns } = ctx;
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
      // Clear the screen only: the scrollback is the user's (no \e[3J), as in bash and 1.x.
      writeOut('\x1b[H\x1b[2J');
      break;
    case 'ctrl-r':
      st.menu = null;
      st.mode = { kind: 'search', search: startSearch(entries, ed.text) };
      break;
    case 'ctrl-c':
      if (st.running) {
        // Ctrl-C stops the running statement only. Pressed again while that cancel is under way,
        // it takes the statements typed ahead back into the editor instead of running them.
        if (controller.progress?.cancelling && st.queue.length) {
          const back = [...st.queue.splice(0), ...(ed.text ? [ed.text] : [])].join('\n');
          edit({ type: 'set', text: back });
          resetNav();
        }
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
}

