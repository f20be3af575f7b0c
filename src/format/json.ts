// The 1.x `json` format: every response re-serialised the way the Go CLI does it (statement_id and
// result-level partial dropped, one element per chunk, map keys sorted, HTML characters escaped),
// but streamed element by element instead of after the whole response.
import { stringifyLossless } from '../query/lossless.js';
import type { Formatter, FormatEvent, FormatOptions, RawResult, Sink } from './types.js';

/** JSON as Go's encoder writes it: exact numbers bare, HTML characters escaped. */
export function goJson(value: unknown, indent?: number): string {
  return goEscapes(stringifyLossless(value, indent));
}

/** Go's HTML escapes (<, >, &, U+2028, U+2029) in JSON text. */
export function goEscapes(text: string): string {
  return /[<>&\u2028\u2029]/.test(text) ? text.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : text;
}

function sortedTags(tags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) out[k] = tags[k]!;
  return out;
}

/** A result as the Go client's Result struct marshals it. */
export function goResult(r: RawResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.series?.length) {
    out.series = r.series.map((s) => {
      const o: Record<string, unknown> = {};
      if (s.name) o.name = s.name;
      if (s.tags && Object.keys(s.tags).length) o.tags = sortedTags(s.tags);
      if (s.columns?.length) o.columns = s.columns;
      if (s.values?.length) o.values = s.values;
      if (s.partial) o.partial = true;
      return o;
    });
  }
  if (r.messages?.length) out.messages = r.messages.map((m) => ({ level: m.level, text: m.text }));
  if (r.error) out.error = r.error;
  return out;
}

export class JsonFormatter implements Formatter {
  private count = 0;
  private readonly pretty: boolean;

  constructor(
    private readonly sink: Sink,
    opts: FormatOptions = {},
  ) {
    this.pretty = !!opts.pretty;
  }

  event(e: FormatEvent): void {
    if (e.type === 'response-start') this.count = 0;
    else if (e.type === 'raw') {
      const body = goJson(goResult(e.result), this.pretty ? 4 : undefined);
      if (this.pretty) {
        const indented = body.replace(/\n/g, '\n        ');
        this.sink.write(this.count++ === 0 ? `{\n    "results": [\n        ${indented}` : `,\n        ${indented}`);
      } else {
        this.sink.write(this.count++ === 0 ? `{"results":[${body}` : `,${body}`);
      }
    } else if (e.type === 'response-end') {
      const err = e.error !== undefined ? goJson(e.error) : undefined;
      if (this.pretty) {
        if (this.count) this.sink.write(`\n    ]${err ? `,\n    "error": ${err}` : ''}\n}\n`);
        else this.sink.write(err ? `{\n    "error": ${err}\n}\n` : '{}\n');
      } else if (this.count) this.sink.write(`]${err ? `,"error":${err}` : ''}}\n`);
      else this.sink.write(err ? `{"error":${err}}\n` : '{}\n');
    }
  }

  close(): void {}
}
