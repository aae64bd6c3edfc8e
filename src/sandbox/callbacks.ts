// Requests "Twilio" makes to the app (status callbacks, inbound webhooks), signed with the
// account's auth token exactly as Twilio signs them, through the simulators' webhook client.
import { CliError } from '../cli/errors';
import { sendWebhook, type Params, type WebhookExchange, type WebhookTarget } from '../cli/webhook-client';

/** Twilio gives a callback 15 s, like a webhook. */
export const CALLBACK_TIMEOUT_MS = 15_000;

export type CallbackResult = { exchange: WebhookExchange; error?: undefined } | { exchange?: undefined; error: string };

/** The target for requests to `url`: sent where it points, signed for that same URL (unsigned without a token). */
export function signedTarget(authToken: string | undefined, url: string, timeoutMs: number = CALLBACK_TIMEOUT_MS): WebhookTarget {
  return { authToken, publicBaseUrl: undefined, serverOrigin: new URL(url).origin, timeoutMs };
}

export async function sendSigned(authToken: string | undefined, method: 'GET' | 'POST', url: string, params: Params): Promise<CallbackResult> {
  try {
    return { exchange: await sendWebhook(signedTarget(authToken, url), { method, url, params }) };
  } catch (err) {
    if (err instanceof CliError) return { error: err.message };
    throw err;
  }
}
