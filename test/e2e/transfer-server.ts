// A private influxd for the transfer tests: they create many databases, and the shared server's
// SHOW DATABASES output is compared byte for byte by other tests running at the same time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { BIN, runCommand, type RunResult } from '../helpers/influx.js';

export interface PrivateInflux {
  server: LocalServer;
  url: string;
  q(query: string, db?: string): Promise<any>;
  write(db: string, lines: string, precision?: string): Promise<void>;
  /** Runs bin/influxsh against this server. */
  run(args: string[], opts?: { input?: string }): Promise<RunResult>;
  stop(): Promise<void>;
}

export async function privateInflux(): Promise<PrivateInflux> {
  const dir = mkdtempSync(join(tmpdir(), 'influxsh-transfer-server-'));
  const server = await startLocalServer({ dataDir: dir });
  const url = server.url;
  return {
    server,
    url,
    async q(query, db = '') {
      const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: query, db }) });
      const j = (await res.json()) as any;
      const err = j.error ?? j.results?.find((r: any) => r.error)?.error;
      if (err) throw new Error(err);
      return j;
    },
    async write(db, lines, precision = 'ns') {
      const res = await fetch(`${url}/write?db=${encodeURIComponent(db)}&precision=${precision}`, { method: 'POST', body: lines });
      if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
    },
    run(args, opts = {}) {
      return runCommand(process.execPath, [BIN, '--url', url, ...args], opts);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
