// Named connection profiles in $XDG_CONFIG_HOME/influxsh/config.json (mode 0600).
import { readFileSync, statSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SettingsError } from './errors.js';

export interface Profile {
  url?: string;
  username?: string;
  password?: string;
  token?: string;
  authScheme?: string;
  database?: string;
  retentionPolicy?: string;
  unsafeSsl?: boolean;
  caCert?: string;
  timeout?: string;
  format?: string;
  precision?: string;
  /** Display time zone (as --tz). */
  tz?: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'influxsh');
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

export function loadProfile(name: string, env: NodeJS.ProcessEnv = process.env): Profile {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SettingsError(`profile "${name}" not found: ${path} does not exist`);
  }
  // The file may hold passwords: tighten it if someone loosened it.
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch {
    /* read-only file systems: reading still works */
  }
  let parsed: { profiles?: Record<string, Profile> };
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new SettingsError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const p = parsed.profiles?.[name];
  if (!p) throw new SettingsError(`profile "${name}" not found in ${path} (have: ${Object.keys(parsed.profiles ?? {}).join(', ') || 'none'})`);
  return p;
}
