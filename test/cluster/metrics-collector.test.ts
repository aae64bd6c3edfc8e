// The primary's collection of its workers' metrics, with real registries as the workers and
// direct calls in place of the IPC channel (test/cluster/metrics-real-server.test.ts runs it over
// the real one): who answered, who did not, and totals that never drop.
import { ClusterMetricsCollector, type MetricsWorker } from '../../src/cluster/metrics-collector';
import { SNAPSHOT_REPLY, type SnapshotRequest } from '../../src/cluster/metrics-protocol';
import { createMetrics, type Metrics } from '../../src/metrics';
import { takeSnapshot } from '../../src/metrics/snapshot';
import { linesOf } from '../metrics/support';

interface Member {
  id: number;
  slot: number;
  metrics: Metrics;
  /** What it does when asked: answer, stay silent (hung), or fail as a database error would. */
  mode: 'answer' | 'silent' | 'fail';
}

function cluster(timeoutMs = 100) {
  const members: Member[] = [];
  const collector: ClusterMetricsCollector = new ClusterMetricsCollector({
    timeoutMs,
    workers: () =>
      members.map(
        (member): MetricsWorker => ({
          id: member.id,
          slot: member.slot,
          ask: (request: SnapshotRequest) => {
            if (member.mode === 'silent') return;
            // Asynchronous, as over IPC.
            void (async () => {
              const outcome = member.mode === 'fail' ? { ok: false as const, reason: 'database unreachable' } : { ok: true as const, metrics: await takeSnapshot(member.metrics.registry) };
              collector.answered(member.id, { type: SNAPSHOT_REPLY, id: request.id, outcome });
            })();
          },
        }),
      ),
  });
  let nextId = 1;
  return {
    collector,
    start(slot: number): Member {
      const started: Member = { id: nextId++, slot, metrics: createMetrics({ defaultMetrics: false }), mode: 'answer' };
      members.push(started);
      return started;
    },
    exit(gone: Member): void {
      members.splice(members.indexOf(gone), 1);
      collector.exited(gone.id);
    },
    async scrape(): Promise<string> {
      const outcome = await collector.collect();
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
      return outcome.text;
    },
  };
}

const okCount = (text: string) => linesOf(text, 'switchboard_webhooks_total', 'route="/voice"', 'outcome="ok"');
const served = (member: Member, count: number) => {
  for (let i = 0; i < count; i++) member.metrics.route('/voice').webhook('ok');
};

test('every worker answers: the sum, and how many were asked and answered', async () => {
  const c = cluster();
  served(c.start(0), 3);
  served(c.start(1), 4);
  const text = await c.scrape();
  expect(okCount(text)).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 7']);
  expect(linesOf(text, 'switchboard_cluster_workers')).toEqual(['switchboard_cluster_workers 2']);
  expect(linesOf(text, 'switchboard_cluster_workers_scraped')).toEqual(['switchboard_cluster_workers_scraped 2']);
});

test('a worker that does not answer in time counts with its last answer; the scrape says it was not heard', async () => {
  const c = cluster();
  const a = c.start(0);
  const b = c.start(1);
  served(a, 3);
  served(b, 4);
  await c.scrape();
  b.mode = 'silent';
  served(b, 10);
  served(a, 1);
  const started = performance.now();
  const text = await c.scrape();
  expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  expect(okCount(text)).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 8']);
  expect(linesOf(text, 'switchboard_cluster_workers_scraped')).toEqual(['switchboard_cluster_workers_scraped 1']);
  // A failed snapshot counts the same way.
  b.mode = 'fail';
  expect(okCount(await c.scrape())).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 8']);
  b.mode = 'answer';
  expect(okCount(await c.scrape())).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 18']);
});

test("an exited worker's last answer stays in the totals, and its replacement counts on top", async () => {
  const c = cluster();
  const a = c.start(0);
  const b = c.start(1);
  served(a, 3);
  served(b, 4);
  expect(okCount(await c.scrape())).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 7']);
  c.exit(b);
  expect(okCount(await c.scrape())).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 7']);
  const replacement = c.start(1);
  served(replacement, 2);
  const text = await c.scrape();
  expect(okCount(text)).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 9']);
  expect(linesOf(text, 'switchboard_cluster_workers_scraped')).toEqual(['switchboard_cluster_workers_scraped 2']);
});

test('a worker that exits while a scrape waits for it ends the wait, and is counted once', async () => {
  const c = cluster(60_000);
  const a = c.start(0);
  const b = c.start(1);
  served(a, 3);
  served(b, 4);
  await c.scrape();
  b.mode = 'silent';
  const scraping = c.scrape();
  c.exit(b);
  expect(okCount(await scraping)).toEqual(['switchboard_webhooks_total{route="/voice",outcome="ok"} 7']);
});

test('no worker answers: an error that says how many were asked and why they failed', async () => {
  const c = cluster();
  c.start(0).mode = 'fail';
  c.start(1).mode = 'silent';
  expect(await c.collector.collect()).toEqual({ ok: false, error: { kind: 'no-answer', asked: 2, reasons: ['database unreachable'] } });
});
