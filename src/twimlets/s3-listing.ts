import { SaxesParser } from 'saxes';

/** The original gave S3 five seconds (CURLOPT_TIMEOUT). */
export const LISTING_TIMEOUT_MS = 5000;
/** One S3 listing page is at most 1000 keys, well under this. */
const MAX_LISTING_BYTES = 2 * 1024 * 1024;
const AUDIO = /\.(mp3|wav|ul)$/;

export class ListingError extends Error {
  override name = 'ListingError';
}

/**
 * The audio files of a public bucket, as URLs: one ListObjects page from `<endpoint>/<bucket>`
 * (path style, so any S3-compatible endpoint works), keeping `.mp3`, `.wav` and `.ul` keys.
 */
export async function listBucketAudio(endpoint: string, bucket: string, timeoutMs = LISTING_TIMEOUT_MS): Promise<string[]> {
  const base = `${endpoint.replace(/\/+$/, '')}/${bucket}`;
  let body: string;
  try {
    const res = await fetch(base, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!res.ok) throw new ListingError(`bucket listing answered HTTP ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_LISTING_BYTES) throw new ListingError('bucket listing is too large');
    body = await res.text();
  } catch (err) {
    if (err instanceof ListingError) throw err;
    throw new ListingError(`bucket listing failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (body.length > MAX_LISTING_BYTES) throw new ListingError('bucket listing is too large');
  return listingKeys(body)
    .filter((key) => AUDIO.test(key))
    .map((key) => `${base}/${key.split('/').map(encodeURIComponent).join('/')}`);
}

/** The `<Contents><Key>` values of a ListBucketResult document. */
export function listingKeys(xml: string): string[] {
  const keys: string[] = [];
  const path: string[] = [];
  let text = '';
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    text = '';
  });
  parser.on('text', (chunk) => {
    text += chunk;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'Key' && path[path.length - 2] === 'Contents') keys.push(text);
    path.pop();
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    throw new ListingError(`bucket listing is not XML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  return keys;
}
