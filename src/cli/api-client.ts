import { httpUrl, type CliContext } from './context';
import { CliError } from './errors';
import { networkReason } from './webhook-client';

/** What the server's `/api` answers on success: at least these, plus whatever else it knows. */
export interface ApiResource {
  sid: string;
  status: string;
  to: string;
  from: string | null;
  [key: string]: unknown;
}

const API_TIMEOUT_MS = 30_000;

/** POSTs JSON to the server's `/api` with the API key; any refusal becomes one line. */
export async function postApi(ctx: CliContext, server: string | undefined, path: string, body: Record<string, unknown>): Promise<ApiResource> {
  const apiKey = ctx.env.apiKey;
  if (apiKey === undefined) throw new CliError('API_KEY is not set: the API needs the key the server was started with');
  const url = httpUrl((server ?? ctx.env.serverUrl).replace(/\/+$/, '') + path, server === undefined ? 'SWITCHBOARD_URL' : '--server');
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (err) {
    throw new CliError(`cannot reach ${url}: ${networkReason(err)}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const line = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
    throw new CliError(`POST ${url} answered ${response.status} without JSON${line === '' ? '' : `: ${line}`}`);
  }
  if (!response.ok) throw new CliError(`POST ${url} answered ${response.status}: ${errorText(json)}`);
  if (!isResource(json)) throw new CliError(`POST ${url} answered ${response.status} without a sid and status`);
  return json;
}

function errorText(json: unknown): string {
  const error = (json as { error?: { message?: unknown; field?: unknown; received?: unknown } } | null)?.error;
  if (typeof error?.message !== 'string') return 'no error message';
  const text = typeof error.field === 'string' && !error.message.startsWith(error.field) ? `${error.field}: ${error.message}` : error.message;
  // The server cuts long values and hides credentials; what it shows is safe to print.
  return 'received' in error ? `${text} (received ${JSON.stringify(error.received)})` : text;
}

function isResource(json: unknown): json is ApiResource {
  const value = json as Partial<ApiResource> | null;
  return typeof value === 'object' && value !== null && typeof value.sid === 'string' && typeof value.status === 'string';
}

/** JSON without the options that were not given, so the server applies its own defaults. */
export function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
