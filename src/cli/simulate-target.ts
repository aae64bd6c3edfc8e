import type { CliContext } from './context';
import { httpUrl } from './context';
import { CliError } from './errors';
import { WEBHOOK_TIMEOUT_MS, type WebhookTarget } from './webhook-client';

/** Where simulated webhooks go and what they are signed for: `--url`, `--public-url`, env. */
export function webhookTarget(
  ctx: CliContext,
  url: string,
  publicUrl: string | undefined,
  at?: Date,
): { url: string; target: WebhookTarget } {
  // Checked before anything is sent: an unsigned time would be ignored, and the walk would
  // silently run at the real time.
  if (at !== undefined && ctx.env.authToken === undefined) {
    throw new CliError('--at needs TWILIO_AUTH_TOKEN: the server honours a simulated time only when it is signed with the auth token');
  }
  const sendUrl = httpUrl(url, '--url');
  const publicBase =
    publicUrl !== undefined
      ? httpUrl(publicUrl, '--public-url')
      : ctx.env.publicBaseUrl !== undefined
        ? httpUrl(ctx.env.publicBaseUrl, 'PUBLIC_BASE_URL')
        : undefined;
  return {
    url: sendUrl,
    target: {
      authToken: ctx.env.authToken,
      publicBaseUrl: publicBase?.replace(/\/+$/, ''),
      serverOrigin: new URL(sendUrl).origin,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      ...(at !== undefined && { simulatedTime: at }),
    },
  };
}

/** The hint a 403 deserves when we sent no signature at all. */
export function unsignedHint(error: string | undefined, signed: boolean): string | undefined {
  if (error === undefined || signed || !/ answered 403\b/.test(error)) return error;
  return `${error} (set TWILIO_AUTH_TOKEN so the simulator signs its requests)`;
}
