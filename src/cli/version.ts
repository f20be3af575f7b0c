import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** package.json sits one level above dist/ and two above src/cli. */
function readVersion(): string {
  for (const p of ['../package.json', '../../package.json']) {
    try {
      return (require(p) as { version: string }).version;
    } catch { /* try the next layout */ }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
