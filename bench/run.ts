// `npm run bench`: every figure next to its baseline, measured in the same run, on 127.0.0.1.
// Writes bench/RESULTS.md. Every load runs for a fixed duration and stops by itself.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { peakRss, rss, startBaseline, startSwitchboard, type Target } from './harness';
import { measureOutbound } from './outbound';
import { BENCH_BASE_URL, BENCH_SETTINGS, BENCH_TOKEN, TWIMLET_REQUEST, uniqueRequests, type SignedRequest } from './webhook-fixtures';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = 7;
const WARMUP_S = 2;
const CONNECTIONS = 50;

interface Load {
  label: string;
  target: 'bare' | 'helper' | 'switchboard';
  /** Sent in turn, going round: each POST for a call or message of its own. */
  requests: readonly SignedRequest[];
}

interface Figures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  rssIdleMb: number;
  rssLoadedMb: number;
}

/** Takes the next request of the pool for every request sent, going round when it runs out. */
function fire(port: number, pool: readonly SignedRequest[], duration: number): Promise<autocannon.Result> {
  let next = 0;
  const first = pool[0] as SignedRequest;
  const method = first.method ?? 'POST';
  if (method === 'GET') {
    return autocannon({ url: `http://127.0.0.1:${port}${first.path}`, method, connections: CONNECTIONS, duration, headers: { 'x-twilio-signature': first.signature } });
  }
  return autocannon({
    url: `http://127.0.0.1:${port}${first.path}`,
    method,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        setupRequest: (request) => {
          const signed = pool[next++ % pool.length] as SignedRequest;
          return {
            ...request,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed.signature },
            body: signed.body,
          };
        },
      },
    ],
  });
}

/** As in production: signatures checked against the public URL, flows from the config file. */
function switchboardEnv(dir: string): Record<string, string> {
  const settingsFile = path.join(dir, 'switchboard.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BENCH_SETTINGS));
  return { TWILIO_AUTH_TOKEN: BENCH_TOKEN, PUBLIC_BASE_URL: BENCH_BASE_URL, CONFIG_PATH: settingsFile };
}

/**
 * Every target runs at once (idle while another is measured); the loads take turns for
 * ROUNDS rounds and each figure is the round with the median requests/s, so that a noisy
 * moment on a shared machine does not decide a ratio.
 */
async function measureAll(loads: readonly Load[], dir: string): Promise<Figures[]> {
  const targets: Record<Load['target'], Target> = {
    bare: await startBaseline('bare'),
    helper: await startBaseline('helper'),
    switchboard: await startSwitchboard(dir, switchboardEnv(dir)),
  };
  try {
    const idle = new Map(Object.entries(targets).map(([name, target]) => [name, rss(target.child.pid)]));
    for (const load of loads) await fire(targets[load.target].port, load.requests, WARMUP_S);
    const results = new Map<Load, autocannon.Result[]>(loads.map((load) => [load, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const load of loads) results.get(load)?.push(await fire(targets[load.target].port, load.requests, DURATION_S));
    }
    return loads.map((load) => {
      const sorted = [...(results.get(load) ?? [])].sort((a, b) => a.requests.average - b.requests.average);
      const median = sorted[Math.floor(sorted.length / 2)] as autocannon.Result;
      return {
        label: load.label,
        rps: median.requests.average,
        p50: median.latency.p50,
        p99: median.latency.p99,
        errors: sorted.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
        non2xx: sorted.reduce((sum, r) => sum + r.non2xx, 0),
        rssIdleMb: idle.get(load.target) ?? 0,
        rssLoadedMb: peakRss(targets[load.target].child.pid),
      };
    });
  } finally {
    for (const target of Object.values(targets)) await target.stop();
  }
}

// More than a load sends in all its rounds, so (nearly) every webhook is a new call or message.
const CALLS = uniqueRequests('voice', 150_000);
const MESSAGES = uniqueRequests('sms', 150_000);
const LOADS: Load[] = [
  { label: 'bare Express 5, fixed TwiML (ceiling)', target: 'bare', requests: CALLS },
  { label: 'twilio helper: webhook() + VoiceResponse', target: 'helper', requests: CALLS },
  { label: 'Switchboard POST /voice (signed, config menu)', target: 'switchboard', requests: CALLS },
  { label: 'Switchboard POST /sms (signed, auto-reply)', target: 'switchboard', requests: MESSAGES },
  { label: 'Switchboard GET /twimlets/message (signed)', target: 'switchboard', requests: [TWIMLET_REQUEST] },
];

function table(rows: Figures[]): string {
  const lines = [
    '| load | requests/s | p50 ms | p99 ms | errors | non-2xx | RSS idle MB | RSS peak MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.rssIdleMb.toFixed(0)} | ${r.rssLoadedMb.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = new Date();
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`Switchboard benchmarks — ${machine}`);
  console.log(`webhooks: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, then ${ROUNDS} rounds of ${DURATION_S} s per load taking turns (median), 127.0.0.1\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const rows = await measureAll(LOADS, dir);
  for (const figures of rows) {
    console.log(`${figures.label.padEnd(48)} ${Math.round(figures.rps).toString().padStart(7)} req/s  p99 ${figures.p99} ms`);
  }
  const [bare, helper, voice] = rows as [Figures, Figures, Figures];
  const ratios = [
    `- Switchboard /voice ÷ bare ceiling: **${(voice.rps / bare.rps).toFixed(2)}×** (target ≥ 0.8×)`,
    `- Switchboard /voice ÷ twilio helper stack: **${(voice.rps / helper.rps).toFixed(2)}×** (target ≥ 1.2×)`,
    `- Switchboard peak RSS under load: **${voice.rssLoadedMb.toFixed(0)} MB** (target < 100 MB)`,
  ];
  console.log('\n' + ratios.join('\n'));

  console.log('\nOutbound (this takes a minute or two):');
  const outbound = await measureOutbound(dir, DURATION_S);
  console.log(outbound.lines.join('\n'));

  console.log('\nTwiML builder (documents/s):');
  const twiml = execFileSync(process.execPath, [path.join(__dirname, 'twiml.js')], { encoding: 'utf8' });
  console.log(twiml);

  const report = [
    '# Benchmark results',
    '',
    `Measured ${started.toISOString().slice(0, 10)} on ${machine} by \`npm run bench\`.`,
    `Webhooks: autocannon, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, then ${ROUNDS} rounds of ${DURATION_S} s per load taking turns; the round with the median requests/s is shown. Each server runs in its own process; RSS peak is the server's highest over all its loads.`,
    'Switchboard is the real server (`dist/src/server.js`, NODE_ENV=production, with the Node flags of `npm start`): signature check on, one JSON log line per request, written to a log file as under systemd or docker. Every POST is a new call or message, signed, so each one writes its row to SQLite, as in production.',
    '',
    '## Webhook throughput',
    '',
    table(rows),
    '',
    ...ratios,
    '',
    '## Outbound',
    '',
    `autocannon, ${200} connections, ${DURATION_S} s, against the fake Twilio API (checked against Twilio\'s OpenAPI spec) in its own process.`,
    '',
    ...outbound.lines,
    '',
    '## TwiML builder',
    '',
    '```',
    twiml.trim(),
    '```',
    '',
  ].join('\n');
  fs.rmSync(dir, { recursive: true, force: true });
  const out = path.resolve(__dirname, '../../bench/RESULTS.md');
  fs.writeFileSync(out, report);
  console.log(`written ${path.relative(process.cwd(), out)}`);
  execFileSync(process.execPath, [path.join(__dirname, 'stores.js')], { stdio: 'inherit' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
