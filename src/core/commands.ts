// The command registry's types: what a command is, what it is given when it runs, and the
// lookup the Runner uses. The commands themselves live in src/shell, and the list of them is
// assembled at the entry point (src/cli/registry.ts); the Runner is handed it and never imports them.
import type { Session, SessionUpdate } from './session.js';

export interface CommandContext {
  /** The session as it is now; read-only: a change goes through `update`. */
  session: Readonly<Session>;
  /** Asks for a session change; the runner's store applies it (the one place the session changes). */
  update(change: SessionUpdate): void;
  /** Confirmations and informational text (stdout in the shell, stderr in scripts). */
  info(text: string): void;
  /** Results the user asked for (settings, help): always stdout. */
  out(text: string): void;
  error(text: string): void;
  /** Extra commands only the interactive shell provides (history, auth, connect…). */
  shell?: ShellHooks;
  /** Aborts when the user cancels (Ctrl-C in the shell). */
  signal?: AbortSignal;
  /** Width of the terminal the output goes to (help lays itself out to it). */
  columns?(): number;
  /** Runs InfluxQL through the session's formatter and sink (for commands such as `watch`). */
  runQuery?(text: string, signal?: AbortSignal): Promise<boolean>;
  /** The commands this runner dispatches to, in the registry's order (`help` lists them). */
  commands: readonly Command[];
}

/** What the interactive-only commands (limit, last, timing, output) need from the running shell. */
export interface ShellControl {
  readonly display: { limit: number; outputFile: string | null };
  readonly timing: boolean;
  setLimit(n: number): void;
  setTiming(on: boolean): void;
  setOutput(path: string | null): void;
  /** Pages the last result; resolves with an error message or null. */
  showLast(): Promise<string | null>;
  /** For `watch`: run with the results kept as text, count a new run, draw in place, the screen's size. */
  capture?<T>(fn: () => Promise<T>): Promise<{ result: T; text: string }>;
  startWatchRun?(n: number): void;
  showFrame?(lines: string[] | null): void;
  screenSize?(): { columns: number; rows: number };
}

export interface ShellHooks {
  history(): string[];
  promptAuth(): Promise<{ username: string; password: string } | null>;
  connect(target: string): Promise<boolean>;
  /** The interactive shell's display settings (limit, timing, output, last). */
  control?: ShellControl;
  /** The demo's sample traffic (load and host metrics), when this shell has one. */
  traffic?: TrafficSwitch;
}

/** Pauses and resumes sample traffic (the demo's load and host metrics). */
export interface TrafficSwitch {
  readonly paused: boolean;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export interface Command {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  /** Values completion offers for the first argument. */
  argValues?: readonly string[];
  interactiveOnly?: boolean;
  /** Returns false when the command failed (the script's exit code becomes 1). */
  run(ctx: CommandContext, args: string, line: string): Promise<boolean> | boolean;
}

/** A set of commands looked up by name or alias (case-insensitive, as in 1.x). */
export class CommandRegistry {
  private readonly byName = new Map<string, Command>();

  constructor(readonly all: readonly Command[]) {
    for (const c of all) for (const n of [c.name, ...(c.aliases ?? [])]) this.byName.set(n, c);
  }

  /** The command a line starts with, if its first word names one. */
  find(line: string): { command: Command; args: string } | null {
    const m = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(line);
    if (!m) return null;
    const command = this.byName.get(m[1]!.toLowerCase());
    return command ? { command, args: m[2] ?? '' } : null;
  }

  readonly isCommandLine = (line: string): boolean => this.find(line) !== null;
}

/**
 * A switch command's argument (`on`/`off`, any case, plus the command's own synonyms): true or
 * false, undefined when there is none, null when it is something else.
 */
export function parseOnOff(args: string, synonyms: { on?: readonly string[]; off?: readonly string[] } = {}): boolean | undefined | null {
  const v = args.trim().toLowerCase();
  if (!v) return undefined;
  if (v === 'on' || synonyms.on?.includes(v)) return true;
  if (v === 'off' || synonyms.off?.includes(v)) return false;
  return null;
}
