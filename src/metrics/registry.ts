import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RejectReason } from '../security';
import { REJECT_REASONS } from '../security';
import type { WebhookOutcome } from '../http/webhook-outcome';
import type { StatsStore } from '../store';

/**
 * The counters of one process, on a registry of its own (never prom-client's global one): tests
 * build as many apps as they like, and each scrape shows only its own process.
 *
 * Every label value is from a fixed set: route templates, outcomes, reasons, HTTP statuses and a
 * capped set of Twilio error codes. Nothing a caller sends (numbers, SIDs, paths) becomes a label,
 * so the number of series does not grow with traffic.
 */
export interface Metrics {
  readonly registry: Registry;
  /** The series of one route label; made once per label and kept, so a request allocates none. */
  route(label: string): RouteSeries;
  signatureFailure(reason: RejectReason): void;
  /** One HTTP attempt at Twilio's REST API: its status, or `network_error`/`timeout`. */
  twilioRequest(resource: TwilioResource, status: number | 'network_error' | 'timeout'): void;
  /** The `code` of a Twilio error answer. */
  twilioError(resource: TwilioResource, code: number): void;
  /** One group commit of the database, in seconds. */
  observeCommit(seconds: number): void;
  /** Where the outbox and bulk gauges are read from on each scrape. */
  readStoreFrom(store: StatsStore): void;
}

export type TwilioResource = 'calls' | 'messages' | 'other';

export interface RouteSeries {
  observeSeconds(seconds: number): void;
  webhook(outcome: WebhookOutcome): void;
}

/** More route labels than the app has routes means a bug; past this they share one label. */
const MAX_ROUTE_LABELS = 200;
/** Twilio has a few hundred error codes; a flood of unusual ones must not flood the scrape. */
const MAX_TWILIO_ERROR_CODES = 50;
export const OVERFLOW_LABEL = 'other';

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const OUTCOMES: readonly WebhookOutcome[] = ['ok', 'rejected', 'refused', 'failed', 'aborted'];

/** `missingSignature` → `missing_signature`: the reason's name, not its sentence, is the label. */
const REASON_LABELS = new Map<string, string>(
  Object.entries(REJECT_REASONS).map(([name, sentence]) => [sentence, name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
);

export interface MetricsOptions {
  /** prom-client's process and Node.js metrics (memory, CPU, event-loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const durations = new Histogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response, by route template',
    labelNames: ['route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'switchboard_webhooks_total',
    help: 'Requests to Twilio-facing routes by outcome: ok, rejected (signature), refused (other 4xx), failed (fallback TwiML or 5xx), aborted',
    labelNames: ['route', 'outcome'] as const,
    registers: [registry],
  });
  const signatureFailures = new Counter({
    name: 'switchboard_webhook_signature_failures_total',
    help: 'Webhooks refused because X-Twilio-Signature (or bodySHA256) did not check out, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const twilioRequests = new Counter({
    name: 'switchboard_twilio_requests_total',
    help: "HTTP attempts at Twilio's REST API by resource and HTTP status (network_error, timeout: no answer)",
    labelNames: ['resource', 'status'] as const,
    registers: [registry],
  });
  const twilioErrors = new Counter({
    name: 'switchboard_twilio_errors_total',
    help: `Twilio error codes in REST answers, by resource and code (the first ${MAX_TWILIO_ERROR_CODES} distinct codes; later ones count as "${OVERFLOW_LABEL}")`,
    labelNames: ['resource', 'code'] as const,
    registers: [registry],
  });
  const commits = new Histogram({
    name: 'switchboard_db_commit_duration_seconds',
    help: "Time to write one group commit (all of an event-loop turn's database writes) to the database",
    buckets: COMMIT_BUCKETS,
    registers: [registry],
  });

  let stats: StatsStore | undefined;
  new Gauge({
    name: 'switchboard_outbox_rows',
    help: 'Outbox requests not yet final, by state (pending, in_flight, unknown), read from the database on scrape',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (stats === undefined) return;
      const backlog = await stats.outboxBacklog();
      this.set({ state: 'pending' }, backlog.pending);
      this.set({ state: 'in_flight' }, backlog.inFlight);
      this.set({ state: 'unknown' }, backlog.unknown);
    },
  });
  new Gauge({
    name: 'switchboard_bulk_jobs_running',
    help: 'Bulk jobs still sending, read from the database on scrape',
    registers: [registry],
    async collect() {
      if (stats !== undefined) this.set((await stats.runningBulkProgress()).jobs);
    },
  });
  new Gauge({
    name: 'switchboard_bulk_recipients',
    help: 'Recipients of the running bulk jobs by state (queued, in_flight, sent, failed, unknown), read from the database on scrape',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (stats === undefined) return;
      const progress = await stats.runningBulkProgress();
      this.set({ state: 'queued' }, progress.recipients.queued);
      this.set({ state: 'in_flight' }, progress.recipients.inFlight);
      this.set({ state: 'sent' }, progress.recipients.sent);
      this.set({ state: 'failed' }, progress.recipients.failed);
      this.set({ state: 'unknown' }, progress.recipients.unknown);
    },
  });

  const routes = new Map<string, RouteSeries>();
  const seriesFor = (label: string): RouteSeries => {
    const duration = durations.labels(label);
    // Made on a route's first webhook: routes Twilio never calls get no webhook series.
    let outcomes: Record<WebhookOutcome, Counter.Internal> | undefined;
    return {
      observeSeconds: (seconds) => duration.observe(seconds),
      webhook(outcome) {
        // Every outcome from zero, so that a rate of failures exists before the first failure.
        outcomes ??= Object.fromEntries(
          OUTCOMES.map((o) => {
            const child = webhooks.labels(label, o);
            child.inc(0);
            return [o, child];
          }),
        ) as Record<WebhookOutcome, Counter.Internal>;
        outcomes[outcome].inc();
      },
    };
  };

  const reasons = new Map<string, Counter.Internal>();
  const twilioStatuses = new Map<string, Counter.Internal>();
  const twilioCodes = new Map<string, Counter.Internal>();
  const codesSeen = new Set<number>();

  return {
    registry,
    route(label) {
      let series = routes.get(label);
      if (series === undefined) {
        const bounded = routes.size < MAX_ROUTE_LABELS ? label : OVERFLOW_LABEL;
        series = routes.get(bounded) ?? seriesFor(bounded);
        routes.set(bounded, series);
      }
      return series;
    },
    signatureFailure(reason) {
      let counter = reasons.get(reason);
      if (counter === undefined) {
        counter = signatureFailures.labels(REASON_LABELS.get(reason) ?? OVERFLOW_LABEL);
        reasons.set(reason, counter);
      }
      counter.inc();
    },
    twilioRequest(resource, status) {
      const label = typeof status === 'number' ? (status >= 100 && status <= 599 ? String(status) : 'invalid') : status;
      const key = `${resource} ${label}`;
      let counter = twilioStatuses.get(key);
      if (counter === undefined) {
        counter = twilioRequests.labels(resource, label);
        twilioStatuses.set(key, counter);
      }
      counter.inc();
    },
    twilioError(resource, code) {
      if (!codesSeen.has(code) && codesSeen.size < MAX_TWILIO_ERROR_CODES) codesSeen.add(code);
      const label = codesSeen.has(code) ? String(code) : OVERFLOW_LABEL;
      const key = `${resource} ${label}`;
      let counter = twilioCodes.get(key);
      if (counter === undefined) {
        counter = twilioErrors.labels(resource, label);
        twilioCodes.set(key, counter);
      }
      counter.inc();
    },
    observeCommit: (seconds) => commits.observe(seconds),
    readStoreFrom(store) {
      stats = store;
    },
  };
}
