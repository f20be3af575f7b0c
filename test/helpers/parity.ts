// A private influxd for a parity suite, and both CLIs pointed at it. Each parity file has a server
// of its own: other test files create databases, which would change SHOW DATABASES between the two
// runs being compared.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../src/connection/local.js';
import { BIN, runCommand, type RunResult } from './influx.js';

export interface ParityServer {
  url: string;
  /** Runs the built influxsh against this server. */
  run(args: string[]): Promise<RunResult>;
  /** Runs the reference 1.x `influx` against this server. */
  runReference(args: string[]): Promise<RunResult>;
  /** Runs InfluxQL over plain HTTP; throws on a request or statement error. */
  q(query: string, db?: string): Promise<void>;
  write(db: string, body: string, precision?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startParityServer(): Promise<ParityServer> {
  const dir = mkdtempSync(join(tmpdir(), 'influxsh-parity-'));
  const server = await startLocalServer({ dataDir: dir });
  const address = ['-host', '127.0.0.1', '-port', String(server.port)];
  return {
    url: server.url,
    run: (args) => runCommand(process.execPath, [BIN, ...address, ...args]),
    runReference: (args) => runCommand('influx', [...address, ...args]),
    async q(query, db = '') {
      const res = await fetch(`${server.url}/query`, { method: 'POST', body: new URLSearchParams({ q: query, db }) });
      const text = await res.text();
      if (res.status !== 200 || /"error"/.test(text)) throw new Error(`${query}: ${res.status} ${text}`);
    },
    async write(db, body, precision = 'ns') {
      const res = await fetch(`${server.url}/write?db=${encodeURIComponent(db)}&precision=${precision}`, { method: 'POST', body });
      if (res.status !== 204) throw new Error(`write failed: ${res.status} ${await res.text()}`);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
