import type { HttpRequester } from '../twilio';
import { isTimeout } from '../twilio/retry';
import type { Metrics, TwilioResource } from './registry';

/** The resource a REST path is about; the SIDs in it never reach a label. */
export function twilioResource(url: string): TwilioResource {
  if (url.includes('/Calls')) return 'calls';
  if (url.includes('/Messages')) return 'messages';
  return 'other';
}

/** Twilio's error answers are `{"code": 21211, ...}`; anything else has no code. */
function errorCode(text: string): number | undefined {
  try {
    const body = JSON.parse(text) as unknown;
    const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
    return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Counts every HTTP attempt the Twilio client makes (retries included) by resource and status,
 * and the error code of each error answer. Wraps the requester rather than the client, so that
 * a retried 429 shows up as what it was.
 */
export function instrumentTwilioHttp(http: HttpRequester, metrics: Metrics): HttpRequester {
  return async (request) => {
    const resource = twilioResource(request.url);
    let answer;
    try {
      answer = await http(request);
    } catch (err) {
      metrics.twilioRequest(resource, isTimeout(err) ? 'timeout' : 'network_error');
      throw err;
    }
    metrics.twilioRequest(resource, answer.status);
    if (answer.status >= 400) {
      const code = errorCode(answer.text);
      if (code !== undefined) metrics.twilioError(resource, code);
    }
    return answer;
  };
}
