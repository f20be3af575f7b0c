// The transport's failures: one coded error type for what dial.ts and client.ts find, and the one
// mapper from a code to the line a user reads.
import { ConnectionError } from './errors.js';
import { urlForMessage } from './safe-url.js';

export interface TransportFailure extends Error {
  code: string;
  /** The proxy the connection went to, when it failed there or in its tunnel. */
  proxy?: URL;
}

/**
 * Codes of our own, beside the system's (ECONNREFUSED, ENOTFOUND, …) and TLS's: INFLUXSH_TIMEOUT
 * (no byte within the timeout), BAD_RESPONSE (not HTTP), PROXY_REFUSED (CONNECT not granted),
 * PROXY_SCHEME (a proxy we cannot speak to).
 */
export function transportError(code: string, message: string, proxy?: URL): TransportFailure {
  return Object.assign(new Error(message), { code, proxy });
}

/** The failure as a one-line ConnectionError naming `where`; an abort passes through. */
export function describeFailure(err: Error, where: string, timeoutMs: number): Error {
  if (err.name === 'AbortError') return err;
  const { code = '', proxy } = err as Partial<TransportFailure>;
  const hint = "Please check your connection settings and ensure 'influxd' is running.";
  if (proxy) {
    const via = `proxy ${urlForMessage(proxy.href)}`;
    switch (code) {
      case 'PROXY_REFUSED':
      case 'PROXY_SCHEME':
        return new ConnectionError(`Failed to connect to ${where} through ${via}: ${err.message}. Check HTTPS_PROXY/HTTP_PROXY, or list the host in NO_PROXY.`);
      case 'INFLUXSH_TIMEOUT':
        return new ConnectionError(`Failed to connect to ${where} through ${via}: no answer within ${seconds(timeoutMs)} (--timeout)`);
      case 'ECONNREFUSED':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ETIMEDOUT':
        return new ConnectionError(`Failed to connect to ${via} (from HTTP_PROXY/HTTPS_PROXY) for ${where}: ${PROXY_WORDS[code]}. Check the proxy setting, or list the host in NO_PROXY.`);
    }
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new ConnectionError(`Failed to connect to ${where}: connection refused. ${hint}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(`Failed to connect to ${where}: host not found. Check -host or --url.`);
    case 'ENOENT':
      return new ConnectionError(`Failed to connect to ${where}: no such socket. Check -socket.`);
    case 'INFLUXSH_TIMEOUT':
      // The server is there but slow: "is influxd running" would send the user the wrong way.
      return new ConnectionError(`${where} timed out: no answer within ${seconds(timeoutMs)} (--timeout)`);
    case 'ETIMEDOUT':
      return new ConnectionError(`Failed to connect to ${where}: timed out (the host did not answer the connection). Check -host or --url and any firewall.`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ConnectionError(`connection to ${where} was reset by the server`);
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return new ConnectionError(`Failed to connect to ${where}: TLS handshake failed (${err.message.split('\n')[0]}). Is the server using TLS? Drop -ssl or use http://.`);
    case 'BAD_RESPONSE':
      return new ConnectionError(`Failed to connect to ${where}: the server did not answer HTTP. If it uses TLS, add -ssl or use https://.`);
    default:
      if (isCertificateCode(code)) {
        return new ConnectionError(`Failed to connect to ${where}: TLS certificate not trusted (${code}). Pass --ca-cert FILE, or -unsafeSsl to skip verification (not secure).`);
      }
      return new ConnectionError(`Failed to connect to ${where}: ${err.message}. ${hint}`);
  }
}

const PROXY_WORDS: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', EAI_AGAIN: 'host not found', ETIMEDOUT: 'timed out' };

/** A few words for a failure, for messages with their own context (webhook reports). */
export function shortReason(code: string, err: Error): string {
  switch (code) {
    case 'INFLUXSH_TIMEOUT':
      return 'no answer in time';
    case 'BAD_RESPONSE':
      return 'not an HTTP answer';
    case 'PROXY_REFUSED':
      return err.message;
    default:
      return code || err.message;
  }
}

function isCertificateCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
