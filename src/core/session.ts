// The state a script or shell session carries between statements, and the one place it changes.
import { InfluxHttp } from '../connection/http.js';
import type { FormatName } from '../format/names.js';

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

/** A change a command asks for; `credentials` swaps the connection for one that signs in as them. */
export type SessionUpdate = Partial<Omit<Session, 'interactive'>> & {
  credentials?: { username: string; password: string };
};

/** The fields an update changed, with the session as it is now. */
export interface SessionChange {
  session: Readonly<Session>;
  changed: ReadonlySet<keyof Session>;
}

/**
 * Holds the session and applies every change to it. Readers keep the session object (it is
 * changed in place, so the metadata cache and the prompt see the current values); writers go
 * through `apply`, and whoever reacts to a change (the runner's formatter, the shell) subscribes.
 */
export class SessionStore {
  private readonly listeners = new Set<(c: SessionChange) => void>();

  constructor(private readonly state: Session) {}

  get session(): Readonly<Session> {
    return this.state;
  }

  apply(update: SessionUpdate): SessionChange {
    const { credentials, ...fields } = update;
    const changed = new Set<keyof Session>();
    if (credentials) {
      // A connection's credentials are read per request, but the connection is not the session's to
      // edit: it is replaced by one with the same settings and the new user.
      fields.conn = new InfluxHttp({ ...(fields.conn ?? this.state.conn).settings, ...credentials });
    }
    if (fields.conn && fields.conn !== this.state.conn) this.state.conn.close();
    const target = this.state as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(fields) as [keyof Session, unknown][]) {
      if (target[k] === v) continue;
      target[k] = v;
      changed.add(k);
    }
    const change = { session: this.state, changed };
    if (changed.size) for (const l of this.listeners) l(change);
    return change;
  }

  /** Calls `fn` after every change; returns the unsubscribe. */
  subscribe(fn: (c: SessionChange) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
