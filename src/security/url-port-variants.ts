// scheme:// + optional userinfo@ + host (IPv6 literals in brackets) + optional :port + rest.
// A regex rather than `new URL()` because the WHATWG parser re-encodes the path and
// query (e.g. `'` -> `%27`), and any re-encoding breaks the HMAC (twilio-node #1183).
const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d*))?(.*)$/i;

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http://': '80', 'https://': '443' };

/**
 * The spellings of `url` that Twilio's helper libraries accept as the same
 * request: the URL as received, plus the same URL with the scheme's default
 * port added or removed. A non-default port, an unknown scheme or an
 * unparsable URL yields only the URL itself.
 */
export function urlPortVariants(url: string): string[] {
  const match = URL_PARTS.exec(url);
  if (!match) return [url];
  const [, scheme = '', userinfo = '', host = '', port, rest = ''] = match;
  const defaultPort = DEFAULT_PORTS[scheme.toLowerCase()];
  if (defaultPort === undefined) return [url];

  const prefix = scheme + userinfo + host;
  if (port === undefined) return [url, `${prefix}:${defaultPort}${rest}`];
  if (port === defaultPort) return [url, prefix + rest];
  return [url];
}
