// When Enter runs and when it continues, and how a submitted (possibly pasted) buffer is cut into
// units: the same rule as scripts (influxql/split.ts), so a statement pasted into the shell and the
// same lines in --file or on stdin run alike.
import { incompleteReason, splitScript } from '../influxql/split.js';

/** Why Enter should continue the statement instead of running it, or null to run it. */
export function needsMore(text: string): string | null {
  return incompleteReason(text);
}

/** Cuts a submitted buffer into units: shell commands are one line each (as in 1.x). */
export function shellUnits(text: string, isCommand: (line: string) => boolean): string[] {
  return splitScript(text, isCommand).map((u) => u.text);
}
