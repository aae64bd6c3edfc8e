import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { WebhookOutcome } from '../http/webhook-outcome';
import type { RejectReason } from '../security';
import { REJECT_REASONS } from '../security';
import type { StatsStore } from '../store';
import { CounterFamily, HistogramFamily, type CounterCell, type HistogramCell } from './cells';

/**
 * The counters of one process, on a registry of its own (never prom-client's global one): tests
 * build as many apps as they like, and each scrape shows only its own process. (In a cluster a
 * scrape shows every worker's, merged by the primary: src/cluster/metrics-*.ts.)
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
  readonly duration: HistogramCell;
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

/** One cell per key, made on first use. */
function cellsBy<C>(make: (key: string) => C): (key: string) => C {
  const cells = new Map<string, C>();
  return (key) => {
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = make(key);
      cells.set(key, cell);
    }
    return cell;
  };
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const durations = new HistogramFamily(
    'switchboard_http_request_duration_seconds',
    'Time from receiving a request to the end of its response, by route template',
    DURATION_BUCKETS,
    registry,
  );
  const webhooks = new CounterFamily(
    'switchboard_webhooks_total',
    'Requests to Twilio-facing routes by outcome: ok, rejected (signature), refused (other 4xx), failed (fallback TwiML or 5xx), aborted',
    registry,
  );
  const signatureFailures = new CounterFamily(
    'switchboard_webhook_signature_failures_total',
    'Webhooks refused because X-Twilio-Signature (or bodySHA256) did not check out, by reason',
    registry,
  );
  const twilioRequests = new CounterFamily(
    'switchboard_twilio_requests_total',
    "HTTP attempts at Twilio's REST API by resource and HTTP status (network_error, timeout: no answer)",
    registry,
  );
  const twilioErrors = new CounterFamily(
    'switchboard_twilio_errors_total',
    `Twilio error codes in REST answers, by resource and code (the first ${MAX_TWILIO_ERROR_CODES} distinct codes; later ones count as "${OVERFLOW_LABEL}")`,
    registry,
  );
  const commits = new HistogramFamily(
    'switchboard_db_commit_duration_seconds',
    "Time to write one group commit (all of an event-loop turn's database writes) to the database",
    COMMIT_BUCKETS,
    registry,
  ).cell({});

  let stats: StatsStore | undefined;
  // These three read the database, which every worker of a cluster shares: its scrape takes one
  // worker's reading (aggregator `first`, cluster-merge.ts) rather than one per worker summed.
  new Gauge({
    name: 'switchboard_outbox_rows',
    help: 'Outbox requests not yet final, by state (pending, in_flight, unknown), read from the database on scrape',
    aggregator: 'first',
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
    aggregator: 'first',
    registers: [registry],
    async collect() {
      if (stats !== undefined) this.set((await stats.runningBulkProgress()).jobs);
    },
  });
  new Gauge({
    name: 'switchboard_bulk_recipients',
    help: 'Recipients of the running bulk jobs by state (queued, in_flight, sent, failed, unknown), read from the database on scrape',
    aggregator: 'first',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      if (stats === undefined) return;
      const { recipients } = await stats.runningBulkProgress();
      this.set({ state: 'queued' }, recipients.queued);
      this.set({ state: 'in_flight' }, recipients.inFlight);
      this.set({ state: 'sent' }, recipients.sent);
      this.set({ state: 'failed' }, recipients.failed);
      this.set({ state: 'unknown' }, recipients.unknown);
    },
  });

  const routeSeries = (route: string): RouteSeries => {
    const duration = durations.cell({ route });
    // Made on a route's first webhook, every outcome from zero, so that a rate of failures
    // exists before the first failure; routes Twilio never calls get none.
    let outcomes: Record<WebhookOutcome, CounterCell> | undefined;
    return {
      duration,
      webhook(outcome) {
        outcomes ??= Object.fromEntries(OUTCOMES.map((o) => [o, webhooks.cell({ route, outcome: o })])) as Record<WebhookOutcome, CounterCell>;
        outcomes[outcome].inc();
      },
    };
  };
  const routes = new Map<string, RouteSeries>();
  const reasonCell = cellsBy((reason) => signatureFailures.cell({ reason: REASON_LABELS.get(reason) ?? OVERFLOW_LABEL }));
  const twilioStatusCell = cellsBy((key) => {
    const [resource, status] = key.split(' ') as [string, string];
    return twilioRequests.cell({ resource, status });
  });
  const twilioCodeCell = cellsBy((key) => {
    const [resource, code] = key.split(' ') as [string, string];
    return twilioErrors.cell({ resource, code });
  });
  const codesSeen = new Set<number>();

  return {
    registry,
    route(label) {
      let series = routes.get(label);
      if (series === undefined) {
        const bounded = routes.size < MAX_ROUTE_LABELS ? label : OVERFLOW_LABEL;
        series = routes.get(bounded) ?? routeSeries(bounded);
        routes.set(bounded, series);
      }
      return series;
    },
    signatureFailure: (reason) => reasonCell(reason).inc(),
    twilioRequest(resource, status) {
      const label = typeof status === 'number' ? (status >= 100 && status <= 599 ? String(status) : 'invalid') : status;
      twilioStatusCell(`${resource} ${label}`).inc();
    },
    twilioError(resource, code) {
      if (!codesSeen.has(code) && codesSeen.size < MAX_TWILIO_ERROR_CODES) codesSeen.add(code);
      twilioCodeCell(`${resource} ${codesSeen.has(code) ? String(code) : OVERFLOW_LABEL}`).inc();
    },
    observeCommit: (seconds) => commits.observe(seconds),
    readStoreFrom(store) {
      stats = store;
    },
  };
}
