// `load --targets FILE`: varied requests, in the plain-text format vegeta made common. Each request
// is a block: a `METHOD URL` line (or a bare URL, GET), then `Name: value` header lines, then an
// optional `@path` line naming a file whose bytes are the body (relative to the targets file).
// Blocks are separated by blank lines or simply start at the next request line; `#` starts a
// comment line. The requests are sent in turn, as URLs given on the command line are.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildTargets, type LoadTarget } from './targets.js';
import { TrafficError } from './errors.js';

export interface TargetSpec {
  method: string;
  url: string;
  headers: string[];
  /** Absolute path of the body file. */
  bodyFile?: string;
  /** 1-based line of the request line, for messages. */
  line: number;
}

const REQUEST_LINE = /^([A-Za-z]+)\s+(\S+)\s*$/;
const BARE_URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

export function parseTargetsText(text: string, file: string): TargetSpec[] {
  const out: TargetSpec[] = [];
  let cur: TargetSpec | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const where = `${file}:${i + 1}`;
    if (line === '') {
      cur = undefined;
      return;
    }
    if (line.startsWith('#')) return;
    const req = REQUEST_LINE.exec(line);
    // A header's name is followed by its colon, so it never looks like "METHOD URL".
    if (req) {
      cur = { method: req[1]!.toUpperCase(), url: req[2]!, headers: [], line: i + 1 };
      out.push(cur);
      return;
    }
    if (BARE_URL.test(line)) {
      cur = { method: 'GET', url: line, headers: [], line: i + 1 };
      out.push(cur);
      return;
    }
    if (!cur) throw new TrafficError(`${where}: expected a request line "METHOD URL", got "${line.slice(0, 60)}"`, true);
    if (line.startsWith('@')) {
      if (cur.bodyFile) throw new TrafficError(`${where}: a request has one body file`, true);
      cur.bodyFile = resolve(dirname(file), line.slice(1).trim());
      return;
    }
    if (cur.bodyFile) throw new TrafficError(`${where}: headers go before the @body line`, true);
    if (!/^[^\s:]+:/.test(line)) throw new TrafficError(`${where}: expected a header "Name: value" or an @body file, got "${line.slice(0, 60)}"`, true);
    cur.headers.push(line);
  });
  if (!out.length) throw new TrafficError(`${file}: no requests (write one per block: METHOD URL, headers, @body file)`, true);
  return out;
}

/**
 * Builds the targets of a targets file. `headers` (from -H) go on every request unless the file
 * sets the same header. Requests other than GET are reported as "METHOD URL".
 */
export function targetsFromFile(file: string, headers: string[] = []): LoadTarget[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TrafficError(`cannot read --targets file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, true);
  }
  return parseTargetsText(text, file).map((spec) => {
    const own = new Set(spec.headers.map((h) => h.slice(0, h.indexOf(':')).trim().toLowerCase()));
    const all = [
      ...headers.filter(
        (h) =>
          !own.has(
            h
              .slice(0, Math.max(0, h.indexOf(':')))
              .trim()
              .toLowerCase(),
          ),
      ),
      ...spec.headers,
    ];
    let target: LoadTarget;
    try {
      [target] = buildTargets([spec.url], { method: spec.method, headers: all, body: spec.bodyFile && '@' + spec.bodyFile }) as [LoadTarget];
    } catch (e) {
      throw new TrafficError(`${file}:${spec.line}: ${(e as Error).message}`, true);
    }
    return spec.method === 'GET' ? target : { ...target, url: `${spec.method} ${target.url}` };
  });
}
