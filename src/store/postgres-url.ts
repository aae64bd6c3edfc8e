/**
 * "host:port/database" of a PostgreSQL URL, for messages and logs: the URL itself may hold a
 * password and is never shown.
 */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
    return `${host}:${parsed.port === '' ? '5432' : parsed.port}/${decodeURIComponent(parsed.pathname.slice(1))}`;
  } catch {
    return 'the PostgreSQL server';
  }
}
