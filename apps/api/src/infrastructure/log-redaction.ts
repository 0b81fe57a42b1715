/**
 * Query parameters whose values never reach the logs, whatever the route: a client that puts a token or a
 * password in a URL (by mistake, or a link copied from a mail) must not have it written to disk.
 */
const SENSITIVE_PARAM = /^(token|access_token|id_token|refresh_token|jwt|auth|authorization|password|passwd|secret|client_secret|api_key|apikey|key|code|mfa_token|signature|sig)$/i;
/** JWT-shaped and long opaque values anywhere in a URL (path segments included). */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

export function redactUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const [path, query] = splitOnce(url.replace(JWT_LIKE, '[redacted]'), '?');
  if (query === null) return path;
  const parts = query.split('&').map((pair) => {
    const [name] = splitOnce(pair, '=');
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // a malformed escape: judged as written
    }
    return SENSITIVE_PARAM.test(decoded) ? `${name}=[redacted]` : pair;
  });
  return `${path}?${parts.join('&')}`;
}

function splitOnce(text: string, separator: string): [string, string | null] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
}
