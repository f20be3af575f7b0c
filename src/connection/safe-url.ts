// URLs in messages show scheme, host and port only: user:password@ and paths (a Slack hook's
// path is its secret) never reach a terminal or a log. Userinfo becomes Basic auth instead.

/** `scheme://host:port` of a URL for any message; works on strings that do not parse too. */
export function urlForMessage(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.host) return `${u.protocol}//${u.host}`;
  } catch {
    /* not a URL: cut it by hand below */
  }
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0] ?? '';
  let rest = raw.slice(scheme.length);
  // Everything up to the last '@' may be userinfo (a password can hold '/', '#' or '@').
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = rest.slice(at + 1);
  return scheme + rest.replace(/[/?#\s].*$/s, '');
}

/** Credentials written into a URL, for an Authorization header; undefined when there are none. */
export function basicAuthFromUrl(u: URL): string | undefined {
  if (!u.username && !u.password) return undefined;
  const { username, password } = credentialsFromUrl(u);
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}

export function credentialsFromUrl(u: URL): { username: string; password: string } {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { username: decode(u.username), password: decode(u.password) };
}

/** The URL without its userinfo (what a request is sent to). */
export function withoutCredentials(u: URL): URL {
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  return c;
}

/** Replaces every spelling of `raw` in a library's error text with its message form. */
export function scrubUrl(text: string, raw: string): string {
  const safe = urlForMessage(raw);
  let out = text;
  for (const form of new Set([raw, safeHref(raw)])) if (form) out = out.split(form).join(safe);
  return out;
}

function safeHref(raw: string): string {
  try {
    return new URL(raw).href;
  } catch {
    return '';
  }
}
