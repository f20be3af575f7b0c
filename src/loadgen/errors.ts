// Failures of the traffic tools (load targets, simulator, collector).
export class TrafficError extends Error {
  override name = 'TrafficError';
  /** `usage`: an argument is malformed, so the command line must change. */
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}
