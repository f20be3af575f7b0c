import { createRequire } from 'node:module';

/** Set by scripts/build.mjs from package.json, so a start reads no file for it. */
declare const __INFLUXSH_VERSION__: string | undefined;

/** Running from src/ (tests): package.json sits two levels above src/core. */
function readVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export const VERSION = typeof __INFLUXSH_VERSION__ === 'string' ? __INFLUXSH_VERSION__ : readVersion();
