// `npm run bench`: every figure next to its baseline, measured in the same run, on 127.0.0.1.
// Writes bench/RESULTS.md. Every load sends a fixed number of requests and stops by itself.
//
//   npm run bench                      everything (webhooks, outbound, TwiML builder)
//   npm run bench -- --webhooks        the webhook part alone; its sections of RESULTS.md are replaced
//   BENCH_BEFORE=/tmp/x/dist/src/server.js npm run bench -- --webhooks
//                                      another build of the server measured beside this one
//                                      (BENCH_BEFORE_LABEL names it: "before (other build)")
//   BENCH_REQUESTS, BENCH_ROUNDS       requests per round per load (20,000) and rounds (5)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureOps } from './ops';
import { measureOutbound } from './outbound';
import { measureShape, shapeRatios, shapeTable, webhookShapes, type ShapeFigures } from './webhooks';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 5_000;
const OUTBOUND_DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const WEBHOOKS_ONLY = process.argv.includes('--webhooks');
const BEFORE = process.env.BENCH_BEFORE;
const BEFORE_LABEL = process.env.BENCH_BEFORE_LABEL ?? 'before (other build)';

const OUT = path.resolve(__dirname, '../../bench/RESULTS.md');

function webhookSection(figures: ShapeFigures[]): string[] {
  const lines = [
    '## Webhooks: cost and throughput',
    '',
    `Each target is its own process; the load generator (autocannon) runs in this one. Per load and round: ${REQUESTS.toLocaleString('en-US')} requests after a warm-up of ${WARMUP.toLocaleString('en-US')}; ${ROUNDS} rounds in which the loads take turns. **Server CPU µs/request** is the server process's utime+stime (all threads, from \`/proc/<pid>/stat\`) over the round ÷ requests: unlike requests/s, it does not fall when another process takes the core. Figures are medians over rounds (the CPU range beside it); ratios are medians of the per-round ratios (the two loads of a round ran back to back). RSS peak is the server's highest (VmHWM) over the whole shape.`,
    'Switchboard is the real server (`dist/src/server.js`, NODE_ENV=production, LOG_LEVEL=info, the Node flags of `npm start`): signature check on, a row written for every webhook (in the group commit), one JSON log line per request written to a log file as under systemd or docker, security headers. The "behaviour kept" line counts its rows and log lines afterwards.',
    'The ceiling is bare Express 5 as `app.listen` serves it. The informative row below it is the same app served by Switchboard\'s `appServer`, whose requests are born with Express\'s prototypes: most of the ceiling\'s cost is Express changing the prototype of every request and response (see docs/internals-performance.md, which also lists each change of issue #19 with its effect).',
  ];
  if (BEFORE !== undefined) {
    lines.push(`The rows "${BEFORE_LABEL}" are another build of the server (\`BENCH_BEFORE\`), started the same way and measured in the same rounds.`);
  }
  for (const shape of figures) {
    lines.push('', `### ${shape.shape.title}`, '', shape.shape.description, '', ...shapeTable(shape), '', ...shapeRatios(shape));
  }
  return lines;
}

async function main(): Promise<void> {
  const started = new Date();
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const load = os.loadavg().map((n) => n.toFixed(1)).join(', ');
  console.log(`Switchboard benchmarks — ${machine}, load average ${load}`);
  console.log(`webhooks: ${REQUESTS} requests per load and round, ${ROUNDS} rounds taking turns (median), 127.0.0.1${BEFORE ? `, beside ${BEFORE}` : ''}\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const shapes: ShapeFigures[] = [];
  for (const [i, shape] of webhookShapes(REQUESTS, ROUNDS, BEFORE === undefined ? undefined : BEFORE_LABEL).entries()) {
    console.log(shape.title);
    const figures = await measureShape(shape, path.join(dir, `shape-${i}`), { requestsPerRound: REQUESTS, warmupRequests: WARMUP, rounds: ROUNDS, beforeScript: BEFORE }, console.log);
    console.log(['', ...shapeTable(figures), '', ...shapeRatios(figures), ''].join('\n'));
    shapes.push(figures);
  }
  const heading = [
    '# Benchmark results',
    '',
    `Measured ${started.toISOString().slice(0, 10)} on ${machine} by \`npm run bench${WEBHOOKS_ONLY ? ' -- --webhooks' : ''}\`, load average ${load} at the start. The machine is shared (other engineers' tests run on it), so requests/s and latencies move with their load; server CPU per request much less so.`,
    '',
  ];
  const webhooks = webhookSection(shapes);
  if (WEBHOOKS_ONLY) {
    fs.rmSync(dir, { recursive: true, force: true });
    // The other sections are kept from the last full run.
    const previous = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
    const rest = previous.indexOf('\n## Outbound');
    fs.writeFileSync(OUT, [...heading, ...webhooks, ''].join('\n') + (rest === -1 ? '' : previous.slice(rest)));
    console.log(`written ${path.relative(process.cwd(), OUT)} (webhook sections)`);
    return;
  }

  console.log('\nOutbound (this takes a minute or two):');
  const outboundDir = path.join(dir, 'outbound');
  fs.mkdirSync(outboundDir, { recursive: true });
  const outbound = await measureOutbound(outboundDir, OUTBOUND_DURATION_S);
  console.log(outbound.lines.join('\n'));

  console.log('\nTwiML builder (documents/s):');
  const twiml = execFileSync(process.execPath, [path.join(__dirname, 'twiml.js')], { encoding: 'utf8' });
  console.log(twiml);

  const report = [
    ...heading,
    ...webhooks,
    '',
    '## Outbound',
    '',
    `autocannon, ${200} connections, ${OUTBOUND_DURATION_S} s, against the fake Twilio API (checked against Twilio\'s OpenAPI spec) in its own process.`,
    '',
    ...outbound.lines,
    '',
    '## Operations', '', ...(await measureOps(dir)), '',
    '## TwiML builder',
    '',
    '```',
    twiml.trim(),
    '```',
    '',
  ].join('\n');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.writeFileSync(OUT, report);
  console.log(`written ${path.relative(process.cwd(), OUT)}`);
  execFileSync(process.execPath, [path.join(__dirname, 'stores.js')], { stdio: 'inherit' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
