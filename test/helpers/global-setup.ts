// One private influxd for the whole run, started through the module that backs --local.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';

let server: LocalServer | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'influxsh-test-'));
  server = await startLocalServer({ dataDir: dir });
  project.provide('influxUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
  }
}
