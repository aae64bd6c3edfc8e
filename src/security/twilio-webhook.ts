import type { Request, RequestHandler } from 'express';
import type { TLSSocket } from 'node:tls';
import { bodySha256FromUrl, validateBodySha256 } from './body-hash';
import { flatForm } from './form-params';
import type { RawBodyRequest } from './raw-body';
import { validateTwilioSignature } from './twilio-signature';
import { webhookUrl } from './webhook-url';

export interface WebhookLogger {
  warn(obj: object, msg: string): void;
}

export interface TwilioWebhookAuthOptions {
  authToken: string | undefined;
  publicBaseUrl?: string | undefined;
  trustProxy: boolean;
  enabled: boolean;
  logger: WebhookLogger;
  /** Told the reason of every refusal (the signature-failure metric). */
  onReject?: (reason: RejectReason) => void;
}

export const REJECT_REASONS = {
  noAuthToken: 'webhook validation is on but TWILIO_AUTH_TOKEN is not set',
  missingSignature: 'missing X-Twilio-Signature header',
  noHost: 'cannot rebuild the request URL: no Host header',
  badSignature: 'invalid X-Twilio-Signature',
  rawBodyMissing: 'raw body not captured; cannot check bodySHA256',
  badBodyHash: 'request body does not match bodySHA256',
  bodyNotParsed: 'request body was not parsed before signature validation',
  bodyNotForm: 'request body is not a flat form',
} as const;

export type RejectReason = (typeof REJECT_REASONS)[keyof typeof REJECT_REASONS];

/** Whether bytes follow the headers; a zero Content-Length counts as no body. */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
}

function rejectionReason(req: Request, authToken: string, url: string): RejectReason | undefined {
  const header = req.headers['x-twilio-signature'];
  const signature = typeof header === 'string' ? header : undefined;
  if (!signature) return REJECT_REASONS.missingSignature;

  const bodySha256 = bodySha256FromUrl(url);
  if (bodySha256 !== undefined) {
    // Without the exact bytes we cannot tell a genuine body from a swapped one,
    // so fail closed rather than hash a placeholder as twilio-node does.
    const rawBody = (req as RawBodyRequest).rawBody ?? (hasBody(req) ? undefined : Buffer.alloc(0));
    if (!validateTwilioSignature({ authToken, signature, url })) return REJECT_REASONS.badSignature;
    if (rawBody === undefined) return REJECT_REASONS.rawBodyMissing;
    return validateBodySha256(rawBody, bodySha256) ? undefined : REJECT_REASONS.badBodyHash;
  }

  // An unparsed body would be invisible to the signature check but could still
  // reach a handler through a later parser, so refuse it.
  if (req.body === undefined && hasBody(req)) return REJECT_REASONS.bodyNotParsed;
  const params = flatForm(req.body);
  if (params === undefined) return REJECT_REASONS.bodyNotForm;
  return validateTwilioSignature({ authToken, signature, url, params }) ? undefined : REJECT_REASONS.badSignature;
}

/**
 * Rejects requests whose X-Twilio-Signature does not match, with 403 and a
 * short text/plain reason. Mount it after the body parsers:
 * `express.urlencoded({ extended: false })`, and for JSON webhooks
 * `express.json({ verify: captureRawBody })` so `bodySHA256` can be checked.
 */
export function twilioWebhookAuth(options: TwilioWebhookAuthOptions): RequestHandler {
  const { authToken, publicBaseUrl, trustProxy, enabled, logger, onReject } = options;

  return (req, res, next) => {
    if (!enabled) {
      next();
      return;
    }
    const url = webhookUrl({
      publicBaseUrl,
      trustProxy,
      originalUrl: req.originalUrl,
      headers: req.headers,
      encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
    });
    const reason = !authToken
      ? REJECT_REASONS.noAuthToken
      : url === undefined
        ? REJECT_REASONS.noHost
        : rejectionReason(req, authToken, url);
    if (reason === undefined) {
      next();
      return;
    }
    onReject?.(reason);
    logger.warn({ reason, url }, 'twilio signature rejected');
    res.status(403).type('text/plain').send(reason);
  };
}
