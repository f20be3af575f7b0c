// Entry point of both builds: dist/main.js (ES modules, every mode) and dist/oneshot.cjs (one
// CommonJS file for runs that cannot reach the shell or a subcommand; see bin/influxsh).
import { main } from './program.js';

// A reader that goes away (`| head`) ends the run quietly, as it would end a Unix tool.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

// process.stdin is built on first use (a stream, a TTY or pipe handle): note whether anything
// used it, so a run that never reads stdin does not build it just to release it.
let stdinUsed = false;
const stdinProperty = Object.getOwnPropertyDescriptor(process, 'stdin');
if (stdinProperty?.get && stdinProperty.configurable) {
  const get = stdinProperty.get;
  Object.defineProperty(process, 'stdin', { ...stdinProperty, get: (): unknown => ((stdinUsed = true), get.call(process)) });
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // A stdin still open (a pipe nobody closed) must not keep a finished run alive.
  if (stdinUsed && !process.stdin.isTTY) process.stdin.unref?.();
});
