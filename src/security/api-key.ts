import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { markExpectedFailure } from '../http/request-log';

export interface BearerAuthOptions {
  apiKey: string | undefined;
  /** The 503's message when no key is set; by default it names API_KEY and the API. */
  disabledMessage?: string;
  /** The 401's message for a wrong token; by default `invalid API key`. */
  invalidMessage?: string;
}

// Comparing HMACs under a per-process random key gives fixed-length inputs to
// timingSafeEqual, so response time reveals neither the key's length nor how
// many leading characters a guess got right.
const comparisonKey = randomBytes(32);

function digest(value: string): Buffer {
  return createHmac('sha256', comparisonKey).update(value, 'utf8').digest();
}

function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { message } });
}

/** Token from `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

export type ApiKeyMatcher = (token: string) => boolean;

/** Constant-time check of a presented token against the key; undefined when no key is set. */
export function apiKeyMatcher(apiKey: string | undefined): ApiKeyMatcher | undefined {
  if (!apiKey) return undefined;
  const expected = digest(apiKey);
  return (token) => timingSafeEqual(digest(token), expected);
}

/**
 * Guards the REST API with a static key. With no key configured the API is
 * off (503) rather than open, so a missing env var cannot expose it.
 */
export function bearerAuth(options: BearerAuthOptions): RequestHandler {
  const matches = apiKeyMatcher(options.apiKey);

  return (req, res, next) => {
    if (!matches) {
      markExpectedFailure(res);
      sendError(res, 503, options.disabledMessage ?? 'API_KEY is not configured; the API is disabled');
      return;
    }
    const token = bearerToken(req.get('Authorization'));
    if (token === undefined) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'missing bearer token');
      return;
    }
    if (!matches(token)) {
      res.set('WWW-Authenticate', 'Bearer');
      sendError(res, 401, options.invalidMessage ?? 'invalid API key');
      return;
    }
    next();
  };
}
