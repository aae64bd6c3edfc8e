import type { IncomingHttpHeaders } from 'node:http';

export interface WebhookUrlSource {
  /** Configured public base URL, e.g. `https://sb.example.com` or `https://example.com/switchboard`. */
  publicBaseUrl?: string | undefined;
  /** Whether X-Forwarded-Proto / X-Forwarded-Host come from a proxy we trust. */
  trustProxy: boolean;
  /** Path and query as the client sent them (Express `req.originalUrl`, not the router-relative `req.url`). */
  originalUrl: string;
  headers: IncomingHttpHeaders;
  /** Whether this server terminated TLS itself. */
  encrypted: boolean;
}

/** Proxies append to X-Forwarded-*; the first entry is the one the client (Twilio) used. */
function firstForwarded(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const first = raw?.split(',')[0]?.trim();
  return first ? first : undefined;
}

/**
 * The URL Twilio requested, rebuilt without re-encoding (any re-encoding breaks
 * the HMAC). Precedence: PUBLIC_BASE_URL, then X-Forwarded-* when the proxy is
 * trusted, then this server's own protocol and Host header. Undefined when
 * there is no host to use.
 */
export function webhookUrl(source: WebhookUrlSource): string | undefined {
  const { publicBaseUrl, trustProxy, originalUrl, headers, encrypted } = source;
  // Config already stores the base without a trailing slash; the check keeps this a plain
  // concatenation on every webhook while still accepting one from other callers.
  if (publicBaseUrl) return (publicBaseUrl.endsWith('/') ? publicBaseUrl.replace(/\/+$/, '') : publicBaseUrl) + originalUrl;

  const ownProtocol = encrypted ? 'https' : 'http';
  const protocol = (trustProxy && firstForwarded(headers['x-forwarded-proto'])) || ownProtocol;
  const host = (trustProxy && firstForwarded(headers['x-forwarded-host'])) || headers.host;
  if (!host) return undefined;
  return `${protocol}://${host}${originalUrl}`;
}
