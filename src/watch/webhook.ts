// Delivers alert state changes: a Grafana-style webhook JSON body, or a Slack incoming-webhook
// message. A failed delivery is reported and kept; it is sent again, in order, with the next change.
import { HttpClient, endpointFor } from '../connection/client.js';
import { basicAuthFromUrl, scrubUrl, urlForMessage } from '../connection/safe-url.js';
import { seconds, shortReason } from '../connection/transport-errors.js';
import { seriesLabel, type AlertChange } from './alert.js';

/** Shaped like Grafana's (legacy) webhook notification, plus the plain fields a script wants. */
export function grafanaPayload(c: AlertChange): Record<string, unknown> {
  const label = seriesLabel(c.series, c.tags);
  const title = `[${c.state === 'alerting' ? 'Alerting' : 'OK'}] ${label}: ${c.condition}`;
  return {
    title,
    ruleName: c.condition,
    state: c.state,
    previousState: c.previous,
    message: `${label}: ${c.condition} is ${c.state === 'alerting' ? 'true' : 'false'} (${valuesText(c)}) at ${c.time}`,
    evalMatches: Object.entries(c.values).map(([column, value]) => ({ metric: c.series ? `${c.series}.${column}` : column, value, tags: c.tags })),
    tags: c.tags,
    series: c.series ?? null,
    condition: c.condition,
    value: c.value,
    values: c.values,
    time: c.time,
  };
}

/** A Slack incoming-webhook message: a line of text and a coloured attachment with the details. */
export function slackPayload(c: AlertChange): Record<string, unknown> {
  const label = seriesLabel(c.series, c.tags);
  const alerting = c.state === 'alerting';
  return {
    text: `${alerting ? ':red_circle: ALERTING' : ':large_green_circle: OK'} ${label}: ${c.condition} (${valuesText(c)})`,
    attachments: [
      {
        color: alerting ? 'danger' : 'good',
        title: `${alerting ? 'Alerting' : 'Resolved'}: ${c.condition}`,
        text: `${label} went from ${c.previous.toUpperCase()} to ${c.state.toUpperCase()}`,
        fields: [
          { title: 'Series', value: label, short: true },
          { title: 'Value', value: valuesText(c), short: true },
          { title: 'Condition', value: c.condition, short: true },
          { title: 'Time', value: c.time, short: true },
        ],
        ts: Math.floor(Date.parse(c.time) / 1000),
      },
    ],
  };
}

function valuesText(c: AlertChange): string {
  return Object.entries(c.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export interface NotifierOptions {
  slack?: boolean;
  timeoutMs?: number;
  /** One line for the user (stderr in the CLI). */
  report(line: string): void;
  /** Undelivered notifications kept for the next attempt; the oldest are dropped past this. */
  maxQueue?: number;
}

export class WebhookNotifier {
  private queue: Record<string, unknown>[] = [];
  /** The webhook's server, reached as every other request is (TLS, HTTP_PROXY/HTTPS_PROXY/NO_PROXY). */
  private readonly client: HttpClient;
  /** Path and query string of the hook. */
  private readonly path: string;
  /** user:password@ in the URL, sent as Basic auth. */
  private readonly auth: string | undefined;
  /** The URL as messages show it. */
  private readonly shown: string;

  constructor(
    private readonly raw: string,
    private readonly opts: NotifierOptions,
  ) {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new Error(`invalid webhook URL "${urlForMessage(raw)}"`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`webhook URL must be http:// or https://, not ${u.protocol}`);
    this.auth = basicAuthFromUrl(u);
    this.client = new HttpClient(endpointFor(u));
    this.path = (u.pathname || '/') + u.search;
    this.shown = urlForMessage(raw);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Queues the changes and sends everything queued, oldest first; never throws. */
  async notify(changes: AlertChange[]): Promise<boolean> {
    for (const c of changes) this.queue.push(this.opts.slack ? slackPayload(c) : grafanaPayload(c));
    const max = this.opts.maxQueue ?? 100;
    if (this.queue.length > max) {
      this.opts.report(`alert: webhook queue full, dropped ${this.queue.length - max} old notification(s)`);
      this.queue.splice(0, this.queue.length - max);
    }
    const retried = this.queue.length - changes.length;
    while (this.queue.length) {
      const error = await this.post(this.queue[0]!);
      if (error) {
        this.opts.report(`alert: webhook ${this.shown} failed: ${error}; ${this.queue.length} notification(s) will be retried with the next state change`);
        return false;
      }
      this.queue.shift();
    }
    if (retried > 0) this.opts.report(`alert: webhook ${this.shown} delivered ${retried} earlier notification(s)`);
    return true;
  }

  private async post(body: Record<string, unknown>): Promise<string | null> {
    const timeoutMs = this.opts.timeoutMs ?? 5000;
    try {
      const res = await this.client.request({
        method: 'POST',
        path: this.path,
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'influxsh', ...(this.auth ? { Authorization: this.auth } : {}) },
        body: JSON.stringify(body),
        timeoutMs,
        keepAlive: false,
      });
      await res.text().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code === 'INFLUXSH_TIMEOUT') return `no answer within ${seconds(timeoutMs)}`;
      // Library messages may quote the URL: never its path or credentials.
      return scrubUrl(shortReason(err.code ?? '', err), this.raw);
    }
  }
}
