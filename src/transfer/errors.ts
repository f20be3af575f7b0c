// Import and export failures: unreadable input, unwritable output, a server refusal.
export class TransferError extends Error {
  override name = 'TransferError';
  /** `usage`: the command line must change (a missing -path, no database for the data). */
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
  }
}
