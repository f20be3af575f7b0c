import type { QueryEvent, RawResult } from '../query/events.js';

/** Where formatted text goes; `flush` honours the stream's back-pressure. */
export interface Sink {
  write(text: string): void;
  /** Bytes of UTF-8 text, valid only during the call; sinks without it get a string. */
  writeBytes?(bytes: Uint8Array): void;
  /** Characters written but not yet flushed. */
  readonly pending: number;
  flush(): Promise<void>;
}

/** A formatter turns the events of a script's statements into text; it knows nothing of terminals. */
export interface Formatter {
  /** One response's events, in order. Raw chunk objects arrive as `raw` before their events. */
  event(e: FormatEvent): void;
  /** Called once after the last response of the script. */
  close(): void;
  /** Takes `rows` events as scanned bytes (QueryOptions.rawRows), so rows need not be parsed. */
  readonly rawRows?: boolean;
}

export type { RawResult };

/** A script's events: each response is framed by response-start / response-end. */
export type FormatEvent = QueryEvent | { type: 'response-start' } | { type: 'response-end'; error?: string };

export interface FormatOptions {
  pretty?: boolean;
  /** Terminal width for layouts that adapt (vertical fallback, charts); undefined = unlimited. */
  width?: number;
  /** Rows the column format buffers to compute widths before it starts streaming a long series. */
  alignRows?: number;
  /** Rows a chart's plot area may use; undefined = from the terminal. */
  height?: number;
  /** Colours in charts and sparklines; undefined = when chalk sees a colour terminal and NO_COLOR is unset. */
  color?: boolean;
  /** The precision epoch times arrive in (ns, u, ms, s, m, h, rfc3339), so charts can read them. */
  precision?: string;
  /** `table`: add a trend table with sparklines for the numeric columns of each statement. */
  sparklines?: boolean;
}
