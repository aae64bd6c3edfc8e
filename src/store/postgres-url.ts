/**
 * "host:port/database" of a PostgreSQL URL, for messages and logs: the URL itself may hold a
 * password and is never shown.
 */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    // A local socket is named by ?host=/run/postgresql (libpq's spelling) rather than a hostname.
    const host = parsed.hostname === '' ? (parsed.searchParams.get('host') ?? 'localhost') : parsed.hostname;
    return `${host}:${parsed.port === '' ? '5432' : parsed.port}/${decodeURIComponent(parsed.pathname.slice(1))}`;
  } catch {
    return 'the PostgreSQL server';
  }
}
