// Whether a host is an IP address literal, without node:net: loading net (and the stream modules
// under it) is a good part of a one-shot run's start, and most hosts are names or IPv4.

const V4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const V4 = new RegExp(`^${V4_PART}(?:\\.${V4_PART}){3}$`);

/** 4 or 6 for an IP literal (as net.isIP says), else 0. */
export function ipVersion(host: string): 0 | 4 | 6 {
  if (V4.test(host)) return 4;
  // Only IPv6 literals have a colon: net decides those.
  return host.includes(':') ? (process.getBuiltinModule('node:net').isIP(host) as 0 | 6) : 0;
}
