import { UserError } from '../cli/errors.js';

/** Replaced by the importer (issue 3). */
export async function runImportCommand(_o: unknown): Promise<number> {
  throw new UserError('-import is not available in this build yet');
}
