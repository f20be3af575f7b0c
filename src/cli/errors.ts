// The CLI's own error, and the one place that turns any layer's error into an exit code.
import { ConnectionError, LocalServerError, SettingsError } from '../connection/errors.js';
import { TrafficError } from '../loadgen/errors.js';
import { TransferError } from '../transfer/errors.js';
import { WatchError } from '../watch/errors.js';

/** An error meant for the user: one line, no stack, and the exit code it implies. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `load --threshold`: the run worked but broke a threshold (k6's code for the same). */
export const EXIT_THRESHOLD = 99;

/**
 * The exit code for an error the user should see as one line (no stack), or undefined for an
 * unexpected error. Usage problems (what was typed must change) exit 2, failures 1.
 */
export function userExitCode(e: unknown): number | undefined {
  if (e instanceof UserError) return e.exitCode;
  if (e instanceof SettingsError || e instanceof WatchError) return EXIT_USAGE;
  if (e instanceof TransferError || e instanceof TrafficError) return e.usage ? EXIT_USAGE : EXIT_FAILURE;
  if (e instanceof ConnectionError || e instanceof LocalServerError) return EXIT_FAILURE;
  return undefined;
}
