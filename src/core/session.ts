// The state a script or shell session carries between statements.
import type { InfluxHttp } from '../connection/http.js';
import type { FormatName } from '../format/index.js';

export const PRECISIONS = ['rfc3339', 'h', 'm', 's', 'ms', 'u', 'ns'] as const;
export const CONSISTENCIES = ['any', 'one', 'quorum', 'all'] as const;

export interface Session {
  conn: InfluxHttp;
  serverVersion: string;
  database?: string;
  retentionPolicy?: string;
  format: FormatName;
  pretty: boolean;
  precision: string;
  chunked: boolean;
  chunkSize: number;
  consistency: string;
  nodeId: number;
  interactive: boolean;
  /** Display time zone for rfc3339 times: local, UTC or an IANA name (`timezone`, --tz); unset = UTC as sent. */
  timeZone?: string;
  /** `table` output adds a trend table with sparklines (`sparklines on|off`, --sparklines). */
  sparklines?: boolean;
}
