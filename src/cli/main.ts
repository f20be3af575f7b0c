// Entry point of both builds: dist/main.js (ES modules, every mode) and dist/oneshot.cjs (one
// CommonJS file for runs that cannot reach the shell or a subcommand; see bin/influxsh).
import { main } from './program.js';

// process.stdin and process.stdout are built on first use (a stream, a TTY or pipe handle, which
// loads net). `onFirstUse` runs when something first reads the property, so a run that never uses
// one does not build it.
function onFirstUse(name: 'stdin' | 'stdout', f: () => void): void {
  const property = Object.getOwnPropertyDescriptor(process, name);
  if (!property?.get || !property.configurable) return f();
  const get = property.get;
  let first = true;
  Object.defineProperty(process, name, {
    ...property,
    get: (): unknown => {
      const value: unknown = get.call(process);
      if (first) {
        first = false;
        f();
      }
      return value;
    },
  });
}

// A reader that goes away (`| head`) ends the run quietly, as it would end a Unix tool.
onFirstUse('stdout', () =>
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  }),
);

// Note whether anything used stdin, so a run that never reads it does not build it just to release it.
let stdinUsed = false;
onFirstUse('stdin', () => (stdinUsed = true));

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // A stdin still open (a pipe nobody closed) must not keep a finished run alive.
  if (stdinUsed && !process.stdin.isTTY) process.stdin.unref?.();
});
