import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Clock } from '../clock';
import type { SharedCounters } from '../store/types';
import { bearerToken, type ApiKeyMatcher } from './api-key';
import { SharedFixedWindows } from './fixed-windows';

export interface TokenBucketOptions {
  /** Requests per minute; also the burst a full bucket allows. */
  perMinute: number;
  /** Most buckets kept; beyond it the least recently used one is forgotten. */
  maxBuckets?: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

const DEFAULT_MAX_BUCKETS = 10_000;

/**
 * Token buckets by key, refilled continuously. A bucket that has had time to fill up again is
 * the same as no bucket, so idle ones are dropped; the map never holds more than `maxBuckets`.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly capacity: number;
  private readonly maxBuckets: number;
  private readonly refillMs: number;
  private lastSweep = -Infinity;

  constructor(options: TokenBucketOptions) {
    this.capacity = options.perMinute;
    this.perMs = options.perMinute / 60_000;
    this.maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    this.refillMs = this.capacity / this.perMs;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, now: number): TakeResult {
    const found = this.buckets.get(key);
    const tokens = found ? Math.min(this.capacity, found.tokens + Math.max(0, now - found.at) * this.perMs) : this.capacity;
    // Re-inserted on every use, so the map's order is least recently used first.
    this.buckets.delete(key);
    if (!found) this.makeRoom(now);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  private makeRoom(now: number): void {
    if (this.buckets.size < this.maxBuckets && now - this.lastSweep < this.refillMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at >= this.refillMs) this.buckets.delete(key);
    }
    // Still full of active clients: forget the least recently seen, which at worst grants it a fresh burst.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxBuckets) break;
      this.buckets.delete(key);
    }
  }
}

export interface ApiRateLimitOptions {
  perMinute: number;
  clock: Clock;
  /** Whether a presented token is the API key; undefined when no key is configured. */
  isApiKey: ApiKeyMatcher | undefined;
  maxBuckets?: number;
  /**
   * The store's counters shared by every instance (PostgreSQL): the limit is then counted there,
   * per clock minute, so it holds across instances. Without them, token buckets in memory.
   */
  shared?: SharedCounters;
}

/**
 * Limits requests per API key (by its hash, so neither the map nor the database holds a secret),
 * and per client IP for requests without a valid key, so guessing keys is as slow as the limit.
 * Answers 429 with Retry-After in the API's error shape.
 */
export function apiRateLimit(options: ApiRateLimitOptions): RequestHandler {
  const limiter = options.shared
    ? new SharedFixedWindows(options.shared, options.perMinute)
    : new TokenBuckets({ perMinute: options.perMinute, maxBuckets: options.maxBuckets });
  return (req, res, next) => {
    const token = bearerToken(req.get('Authorization'));
    const key =
      token !== undefined && options.isApiKey?.(token) === true
        ? `key:${createHash('sha256').update(token, 'utf8').digest('base64url')}`
        : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
    const result = limiter.take(key, options.clock.now().getTime());
    if (!(result instanceof Promise)) {
      if (result.allowed) next();
      else tooMany(res, result.retryAfterSeconds);
      return;
    }
    // A database that cannot count goes to the error handler, as any store error does.
    result.then((shared) => (shared.allowed ? next() : tooMany(res, shared.retryAfterSeconds)), next);
  };
}

function tooMany(res: Response, retryAfterSeconds: number): void {
  res.set('Retry-After', String(retryAfterSeconds));
  res.status(429).json({ error: { message: `too many requests; retry after ${retryAfterSeconds} s` } });
}
