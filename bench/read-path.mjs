// Reads one chunked /query answer line by line and counts the lines, in one of two ways, so
// bench/oneshot.mjs can compare their client CPU on the same response:
//   node bench/read-path.mjs node-http URL DB QUERY   node:http, lines cut from its 'data' chunks
//   node bench/read-path.mjs transport URL DB QUERY   influxsh's transport (src/connection/client.ts)
// This is what justifies the hand-written client: see docs/benchmarks.md.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [mode, url, db, q] = process.argv.slice(2);
const body = new URLSearchParams({ db, q, chunked: 'true', epoch: 'ns' }).toString();
const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
let lines = 0;
if (mode === 'node-http') {
  const http = await import('node:http');
  await new Promise((resolve, reject) => {
    const req = http.request(`${url}/query`, { method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      // The same work as the transport's reader: each line gathered into a buffer of its own.
      let pending = [];
      res.on('data', (chunk) => {
        let from = 0;
        for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
          pending.push(chunk.subarray(from, nl));
          Buffer.concat(pending);
          pending = [];
          lines++;
          from = nl + 1;
        }
        if (from < chunk.length) pending.push(chunk.subarray(from));
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
} else {
  // The parent passes a bundle of client.ts built once (READ_PATH_BUNDLE); run alone, build one.
  let bundle = process.env.READ_PATH_BUNDLE;
  let dir;
  if (!bundle) {
    dir = mkdtempSync(join(tmpdir(), 'read-path-'));
    bundle = join(dir, 'client.mjs');
    await build({ entryPoints: [new URL('../src/connection/client.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
  }
  const { HttpClient, endpointFor } = await import(bundle);
  const client = new HttpClient(endpointFor(new URL(url), { env: {}, readBufferSize: 256 << 10 }));
  const res = await client.request({ method: 'POST', path: '/query', headers, body, timeoutMs: 0, keepAlive: false });
  for await (const _ of res.lines()) lines++;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${lines}\n`);
