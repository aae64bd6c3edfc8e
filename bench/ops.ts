// The operations bench (issue #16): what /metrics costs a webhook, and what history retention
// costs the webhooks' latency while it deletes a million rows. Part of `npm run bench`; alone:
// `npm run bench:ops`. Every load is bounded (a request count, or a time limit) and stops by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startSwitchboard, type Target } from './harness';
import { cpuDuring } from './cpu';
import { BENCH_BASE_URL, BENCH_SETTINGS, BENCH_TOKEN, uniqueRequests, type SignedRequest } from './webhook-fixtures';
import { retentionCost } from './retention';

const CONNECTIONS = 50;
const METRICS_ROUNDS = 5;
const REQUESTS_PER_ROUND = 20_000;
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** Sends `pool`'s requests in turn from `cursor` on; the cursor runs on across calls, so each POST is a new call. */
function loader(pool: readonly SignedRequest[]) {
  let next = 0;
  const options = (port: number): autocannon.Options => ({
    url: `http://127.0.0.1:${port}/voice`,
    method: 'POST',
    connections: CONNECTIONS,
    requests: [
      {
        setupRequest: (request) => {
          const signed = pool[next++ % pool.length] as SignedRequest;
          return { ...request, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature }, body: signed.body };
        },
      },
    ],
  });
  return {
    amount: (port: number, amount: number) => autocannon({ ...options(port), amount }),
  };
}

function env(dir: string, extra: Record<string, string>): Record<string, string> {
  const settingsFile = path.join(dir, 'switchboard.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BENCH_SETTINGS));
  return { TWILIO_AUTH_TOKEN: BENCH_TOKEN, PUBLIC_BASE_URL: BENCH_BASE_URL, CONFIG_PATH: settingsFile, ...extra };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Server CPU per webhook with metrics counted and without, the same load, rounds taking turns. */
async function metricsCost(dir: string, pool: readonly SignedRequest[]): Promise<string[]> {
  const on = await startSwitchboard(dir, env(dir, { METRICS_TOKEN }));
  const off = await startSwitchboard(dir, env(dir, { METRICS_ENABLED: 'false' }));
  const sides: Array<[string, Target, ReturnType<typeof loader>, number[], number[]]> = [
    ['metrics on', on, loader(pool), [], []],
    ['metrics off (METRICS_ENABLED=false)', off, loader(pool), [], []],
  ];
  try {
    for (const [, target, load] of sides) await load.amount(target.port, 5_000);
    for (let round = 0; round < METRICS_ROUNDS; round++) {
      for (const [, target, load, cpu, p99] of sides) {
        const { cpuMicros, result } = await cpuDuring(target.child.pid as number, () => load.amount(target.port, REQUESTS_PER_ROUND));
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`webhooks failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        cpu.push(cpuMicros / result.requests.total);
        p99.push(result.latency.p99);
      }
    }
    // A scrape after the load: the counters saw every webhook.
    const scrape = await fetch(`http://127.0.0.1:${on.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await scrape.text();
    const counted = /switchboard_webhooks_total\{route="\/voice",outcome="ok"\} (\d+)/.exec(text)?.[1];
    // Rounds taking turns share the machine's moment: the ratio per round, then its median.
    const onRounds = sides[0]?.[3] ?? [];
    const offRounds = sides[1]?.[3] ?? [];
    const ratios = onRounds.map((on, i) => on / (offRounds[i] as number)).sort((a, b) => a - b);
    const percent = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)} %`;
    return [
      `POST /voice, new call per request (signed, config menu), ${CONNECTIONS} connections, ${METRICS_ROUNDS} rounds of ${REQUESTS_PER_ROUND.toLocaleString('en-US')} requests per side, taking turns; server CPU from /proc (user + system), median round.`,
      '',
      '| server | CPU µs per request | rounds (µs) | p99 ms (median round) |',
      '| --- | ---: | --- | ---: |',
      ...sides.map(([label, , , cpu, p99]) => `| ${label} | ${median(cpu).toFixed(0)} | ${cpu.map((v) => v.toFixed(0)).join(', ')} | ${median(p99)} |`),
      '',
      `- metrics cost: **${percent(median(ratios))}** CPU per webhook, median of the per-round ratios (range ${percent(ratios[0] as number)} to ${percent(ratios[ratios.length - 1] as number)}; target < 5 %); /metrics counted ${counted ?? '?'} webhooks, ${text.split('\n').filter((l) => l && !l.startsWith('#')).length} series lines`,
    ];
  } finally {
    await on.stop();
    await off.stop();
  }
}

/** Both parts, or one: `node dist/bench/ops.js metrics` or `… retention`. */
export async function measureOps(dir: string, parts: ReadonlyArray<'metrics' | 'retention'> = ['metrics', 'retention']): Promise<string[]> {
  // Enough for every round of both sides without a call repeating on a server.
  const pool = uniqueRequests('voice', 160_000);
  const lines: string[] = [];
  if (parts.includes('metrics')) lines.push('### /metrics cost', '', ...(await metricsCost(dir, pool)), '');
  if (parts.includes('retention')) lines.push('### History retention', '', ...(await retentionCost(dir, pool, (extra) => env(dir, extra))));
  return lines;
}

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ops-'));
  const only = process.argv[2];
  measureOps(dir, only === 'metrics' || only === 'retention' ? [only] : undefined)
    .then((lines) => console.log(lines.join('\n')))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}
