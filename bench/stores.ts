// `npm run bench:stores`: the same loads on SQLite and on PostgreSQL, side by side, in one run.
// A throwaway PostgreSQL cluster (fsync on, as in production) is started on loopback; every
// server is the real `dist/src/server.js` in its own process, the load generator runs in this one,
// the fake Twilio API in a third. The loads take turns for ROUNDS rounds; each figure is the
// median over the rounds. Writes bench/RESULTS-stores.md. Every load stops by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { postgresBinDir, startPostgres, type PostgresCluster } from '../test/support/postgres-cluster';
import { treeCpuDuring } from './cpu-tree';
import { startSwitchboard, type Target } from './harness';
import { BENCH_API_KEY, outboundBenchEnv, RECIPIENTS } from './outbound-fixtures';
import { bulkJob, startFake, type FakeProcess } from './outbound';
import { BENCH_BASE_URL, BENCH_SETTINGS, BENCH_TOKEN, uniqueRequests, type SignedRequest } from './webhook-fixtures';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
const WARMUP_S = 2;
const WEBHOOK_CONNECTIONS = 50;
const API_CONNECTIONS = 100;
/** After a load, what a server still does for it (log lines, a commit, sends to Twilio) is counted too. */
const SETTLE_MS = { webhook: 200, api: 2_000, bulk: 500 } as const;

/**
 * BENCH_BASELINE_SERVER: another build's dist/src/server.js (e.g. main's, built in a temporary
 * worktree), measured on PostgreSQL in the same rounds, taking turns with this build's servers,
 * so a change to the PostgreSQL store is compared with what it replaces under the same load.
 */
const BASELINE_SERVER = process.env.BENCH_BASELINE_SERVER;
const BASELINE_LABEL = `PostgreSQL, ${process.env.BENCH_BASELINE_LABEL ?? 'baseline build'}`;

type Store = 'SQLite' | 'PostgreSQL' | 'PostgreSQL, WORKERS=2' | typeof BASELINE_LABEL;
type Kind = 'POST /voice (signed)' | 'POST /api/messages → fake Twilio' | '10,000-recipient bulk job';

interface Round {
  /** Requests (or, for the bulk job, messages) per second. */
  rate: number;
  /** ms; undefined for the bulk job, which has no request latency of its own. */
  p99: number | undefined;
  cpuMicrosPerRequest: number;
  /** Answers other than 2xx, errors and timeouts; for the bulk job, messages not sent once exactly. */
  failures: number;
}

interface Load {
  kind: Kind;
  store: Store;
  run(): Promise<Round>;
  rounds: Round[];
}

/** A pool of signed webhooks, handed out in turn across rounds, so every POST is a new call. */
function webhookLoad(target: Target, pool: readonly SignedRequest[], offset: { next: number }, duration: number): Promise<autocannon.Result> {
  const first = pool[0] as SignedRequest;
  return autocannon({
    url: `http://127.0.0.1:${target.port}${first.path}`,
    method: 'POST',
    connections: WEBHOOK_CONNECTIONS,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          const signed = pool[offset.next++ % pool.length] as SignedRequest;
          return { ...request, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature }, body: signed.body };
        },
      },
    ],
  });
}

function apiLoad(target: Target, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${target.port}/api/messages`,
    method: 'POST',
    connections: API_CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: '+15550100000', body: 'bench' }),
  });
}

function fromAutocannon(result: autocannon.Result, cpuMicros: number): Round {
  return {
    rate: result.requests.average,
    p99: result.latency.p99,
    cpuMicrosPerRequest: cpuMicros / Math.max(1, result.requests.total),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Servers {
  webhooks: Partial<Record<Store, Target>>;
  api: Partial<Record<Store, Target>>;
}

/** Two servers per store: webhooks are signed with the bench token, the API talks to the fake with its own. */
async function startServers(dir: string, cluster: PostgresCluster, fake: FakeProcess): Promise<Servers> {
  const settingsFile = path.join(dir, 'switchboard.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BENCH_SETTINGS));
  const webhookEnv = { TWILIO_AUTH_TOKEN: BENCH_TOKEN, PUBLIC_BASE_URL: BENCH_BASE_URL, CONFIG_PATH: settingsFile };
  // On PostgreSQL the per-key API count is still taken in the database on every request.
  const apiEnv = outboundBenchEnv(fake.baseUrl);
  const onPostgres = async () => ({ DATABASE_URL: await cluster.createDatabase() });
  const servers: Servers = {
    webhooks: {
      SQLite: await startSwitchboard(dir, webhookEnv),
      PostgreSQL: await startSwitchboard(dir, { ...webhookEnv, ...(await onPostgres()) }),
      // The primary forks two workers sharing the port; CPU is counted over all three processes.
      'PostgreSQL, WORKERS=2': await startSwitchboard(dir, { ...webhookEnv, ...(await onPostgres()), WORKERS: '2' }),
    },
    api: { SQLite: await startSwitchboard(dir, apiEnv), PostgreSQL: await startSwitchboard(dir, { ...apiEnv, ...(await onPostgres()) }) },
  };
  if (BASELINE_SERVER !== undefined) {
    servers.webhooks[BASELINE_LABEL] = await startSwitchboard(dir, { ...webhookEnv, ...(await onPostgres()) }, BASELINE_SERVER);
    servers.api[BASELINE_LABEL] = await startSwitchboard(dir, { ...apiEnv, ...(await onPostgres()) }, BASELINE_SERVER);
  }
  return servers;
}

function loads(servers: Servers, fake: FakeProcess): Load[] {
  // More than the rounds send, so (nearly) every webhook is a new call, as in production.
  const calls = uniqueRequests('voice', 200_000);
  const baseline: Store[] = BASELINE_SERVER === undefined ? [] : [BASELINE_LABEL];
  const stores: Store[] = ['SQLite', 'PostgreSQL', ...baseline];
  const list: Load[] = [];
  for (const store of ['SQLite', 'PostgreSQL', 'PostgreSQL, WORKERS=2', ...baseline] as Store[]) {
    const target = servers.webhooks[store] as Target;
    const offset = { next: 0 };
    list.push({
      kind: 'POST /voice (signed)',
      store,
      rounds: [],
      run: async () => {
        const { cpuMicros, result } = await treeCpuDuring(target.child.pid as number, () => webhookLoad(target, calls, offset, DURATION_S), SETTLE_MS.webhook);
        return fromAutocannon(result, cpuMicros);
      },
    });
  }
  for (const store of stores) {
    const target = servers.api[store] as Target;
    list.push({
      kind: 'POST /api/messages → fake Twilio',
      store,
      rounds: [],
      run: async () => {
        const { cpuMicros, result } = await treeCpuDuring(target.child.pid as number, () => apiLoad(target, DURATION_S), SETTLE_MS.api);
        await fake.count(); // resets the fake's log, which would otherwise grow for the whole run
        return fromAutocannon(result, cpuMicros);
      },
    });
  }
  for (const store of stores) {
    const target = servers.api[store] as Target;
    list.push({
      kind: '10,000-recipient bulk job',
      store,
      rounds: [],
      run: async () => {
        await fake.count();
        const { cpuMicros, result } = await treeCpuDuring(target.child.pid as number, () => bulkJob(`http://127.0.0.1:${target.port}`), SETTLE_MS.bulk);
        const count = await fake.count();
        const failures = Math.abs(count.requests - RECIPIENTS.length) + count.duplicates + count.rejected + (result.state === 'completed' ? 0 : 1);
        return { rate: RECIPIENTS.length / result.seconds, p99: undefined, cpuMicrosPerRequest: cpuMicros / RECIPIENTS.length, failures };
      },
    });
  }
  return list;
}

/** Per load, this build's PostgreSQL figures against the baseline build's, from the same rounds. */
function versusBaseline(list: Load[]): string[] {
  if (BASELINE_SERVER === undefined) return [];
  const lines = [
    `This build against \`${BASELINE_LABEL}\` (BENCH_BASELINE_SERVER, measured in the same rounds, taking turns), both one instance on PostgreSQL:`,
    '',
    '| load | req/s: this build, baseline | server CPU µs/req: this build, baseline | req/s ×, CPU × |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const load of list.filter((l) => l.store === 'PostgreSQL')) {
    const base = list.find((other) => other.kind === load.kind && other.store === BASELINE_LABEL);
    if (base === undefined) continue;
    const [rate, baseRate] = [load, base].map((l) => median(l.rounds.map((r) => r.rate))) as [number, number];
    const [cpu, baseCpu] = [load, base].map((l) => median(l.rounds.map((r) => r.cpuMicrosPerRequest))) as [number, number];
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    lines.push(`| ${load.kind} | ${n(rate)}, ${n(baseRate)} | ${n(cpu)}, ${n(baseCpu)} | ${(rate / baseRate).toFixed(2)}×, ${(cpu / baseCpu).toFixed(2)}× |`);
  }
  return [...lines, ''];
}

function table(list: Load[]): string[] {
  const lines = [
    '| load | store | req/s (median) | p99 ms (median) | server CPU µs/req (median) | vs SQLite: req/s, CPU | failures | req/s per round |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const figures = (load: Load) => ({
    rate: median(load.rounds.map((r) => r.rate)),
    p99: load.rounds[0]?.p99 === undefined ? undefined : median(load.rounds.map((r) => r.p99 ?? 0)),
    cpu: median(load.rounds.map((r) => r.cpuMicrosPerRequest)),
  });
  for (const load of list) {
    const mine = figures(load);
    const base = list.find((other) => other.kind === load.kind && other.store === 'SQLite');
    const baseline = base && base !== load ? figures(base) : undefined;
    const versus = baseline ? `${(mine.rate / baseline.rate).toFixed(2)}×, ${(mine.cpu / baseline.cpu).toFixed(2)}×` : 'baseline';
    lines.push(
      `| ${load.kind} | ${load.store} | ${Math.round(mine.rate).toLocaleString('en-US')} | ${mine.p99 ?? '—'} | ${Math.round(mine.cpu).toLocaleString('en-US')} | ${versus} | ` +
        `${load.rounds.reduce((sum, r) => sum + r.failures, 0)} | ${load.rounds.map((r) => Math.round(r.rate)).join(', ')} |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  if (postgresBinDir() === undefined) {
    console.log('bench:stores skipped: PostgreSQL is not installed (apt-get install -y postgresql)');
    return;
  }
  const started = new Date();
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const method =
    `${ROUNDS} rounds, the loads taking turns in each; ${DURATION_S} s per webhook and API load (after a ${WARMUP_S} s warm-up), ` +
    `${WEBHOOK_CONNECTIONS} connections for webhooks, ${API_CONNECTIONS} for the API; each figure is the median of its rounds, 127.0.0.1`;
  console.log(`Switchboard stores benchmark — ${machine}\n${method}${BASELINE_SERVER === undefined ? '' : `\nbaseline: ${BASELINE_SERVER}`}\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-stores-'));
  // As a production server runs: fsync on, and more than the tests' 16 MB of shared buffers.
  const cluster = await startPostgres({ fsync: true, sharedBuffersMb: 128 });
  const fake = await startFake();
  let servers: Servers | undefined;
  try {
    servers = await startServers(dir, cluster, fake);
    const list = loads(servers, fake);
    for (const target of Object.values(servers.webhooks) as Target[]) await webhookLoad(target, uniqueRequests('voice', 1), { next: 0 }, WARMUP_S);
    for (const target of Object.values(servers.api) as Target[]) await apiLoad(target, WARMUP_S);
    await fake.count();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const load of list) {
        const result = await load.run();
        load.rounds.push(result);
        console.log(
          `round ${round} ${load.kind.padEnd(34)} ${load.store.padEnd(21)} ${Math.round(result.rate).toString().padStart(6)}/s  ` +
            `p99 ${result.p99 ?? '—'} ms  ${Math.round(result.cpuMicrosPerRequest)} µs CPU/req  failures ${result.failures}`,
        );
      }
    }
    const lines = table(list);
    const versus = versusBaseline(list);
    console.log('\n' + [...lines, '', ...versus].join('\n'));
    const report = [
      '# Benchmark results: SQLite and PostgreSQL side by side',
      '',
      `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine} by \`npm run bench:stores\` (bench/stores.ts).`,
      '',
      `**The machine was shared** with other engineers' builds and tests while this ran: requests/s and p99 move with their load. ` +
        'Server CPU µs per request (utime + stime of the server process from /proc, over the load and the work it left behind) moves much less, ' +
        'since a request costs the same CPU whether or not it waited for a core; compare stores by that column first. ' +
        "PostgreSQL's own CPU (its backends) is not in that column: it is what the database server costs on top.",
      '',
      `Method: ${method}. Every server is the real \`dist/src/server.js\`, one instance, in its own process; the load generator (autocannon) ` +
        'runs in the bench process, the fake Twilio API in a third. Each PostgreSQL server has a database of its own on one throwaway cluster ' +
        '(`initdb` on loopback, fsync on, shared_buffers 128 MB, default synchronous_commit); SQLite runs as in production (WAL, synchronous=NORMAL, so no fsync per commit: ' +
        'PostgreSQL gives the stronger durability here). Every /voice POST is a new call (a row written); `/api/messages` writes the outbox row, sends to the fake Twilio ' +
        'and records the answer; on PostgreSQL every API request also counts against API_RATE_LIMIT in the database (one hot row, as all requests use one key; ' +
        'the requests arriving in one event-loop turn share one upsert). ' +
        'The bulk job\'s req/s is messages/s to the completion the server recorded, its CPU per message; failures count messages not sent exactly once (from the fake\'s log).',
      '',
      ...lines,
      '',
      ...versus,
      '`WORKERS=2` is one primary and two workers sharing the port; its CPU column sums all three processes (from /proc, the tree of the primary). ' +
        'On two cores shared with the load generator, the fake and PostgreSQL, a second worker has no core of its own: its req/s says little about a larger machine.',
      '',
    ].join('\n');
    const out = path.resolve(__dirname, '../../bench/RESULTS-stores.md');
    fs.writeFileSync(out, report);
    console.log(`\nwritten ${path.relative(process.cwd(), out)}`);
  } finally {
    for (const target of servers ? ([...Object.values(servers.webhooks), ...Object.values(servers.api)] as Target[]) : []) await target.stop();
    await fake.stop();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
