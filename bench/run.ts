// `npm run bench`: every figure next to its baseline, measured in the same run, on 127.0.0.1.
// Writes bench/RESULTS.md. Every load runs for a fixed duration and stops by itself.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_BASE_URL, BENCH_SETTINGS, BENCH_TOKEN, SMS_REQUEST, VOICE_REQUEST, type SignedRequest } from './webhook-fixtures';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_S = 2;
const CONNECTIONS = 50;

interface Load {
  label: string;
  target: 'bare' | 'helper' | 'switchboard';
  request: SignedRequest;
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

interface Target {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/** A baseline server (bench/targets/<name>.js), reporting its port over IPC. */
function startBaseline(name: string): Promise<Target> {
  const child = fork(path.join(__dirname, 'targets', `${name}.js`), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port?: number }) => {
      const stop = () => new Promise<void>((done) => child.once('exit', () => done()).send('stop'));
      if (message.port) resolve({ child, port: message.port, stop });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

/** The real server, `dist/src/server.js`, configured as in production. */
function startSwitchboard(dir: string): Promise<Target> {
  const settingsFile = path.join(dir, 'switchboard.config.json');
  fs.writeFileSync(settingsFile, JSON.stringify(BENCH_SETTINGS));
  const child = spawn(process.execPath, [path.resolve(__dirname, '../src/server.js')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      TWILIO_AUTH_TOKEN: BENCH_TOKEN,
      PUBLIC_BASE_URL: BENCH_BASE_URL,
      CONFIG_PATH: settingsFile,
      DATABASE_PATH: path.join(dir, 'bench.db'),
    },
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const match = /"port":(\d+)/.exec(buffered);
      if (match) {
        // Keep draining the log lines, as a log shipper would, but stop looking at them.
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        const stop = () => new Promise<void>((done) => child.once('exit', () => done()).kill('SIGTERM'));
        resolve({ child, port: Number(match[1]), stop });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`switchboard exited with ${code}`)));
  });
}

/** Resident memory of a process now (VmRSS), in MB. */
function rss(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRss(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function fire(port: number, request: SignedRequest, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}${request.path}`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': request.signature },
    body: request.body,
  });
}

async function measure(load: Load, dir: string): Promise<Figures> {
  const { child, port, stop } = load.target === 'switchboard' ? await startSwitchboard(dir) : await startBaseline(load.target);
  try {
    const rssIdleMb = rss(child.pid);
    await fire(port, load.request, WARMUP_S);
    const result = await fire(port, load.request, DURATION_S);
    return {
      label: load.label,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      rssIdleMb,
      rssLoadedMb: peakRss(child.pid),
    };
  } finally {
    await stop();
  }
}

const LOADS: Load[] = [
  { label: 'bare Express 5, fixed TwiML (ceiling)', target: 'bare', request: VOICE_REQUEST },
  { label: 'twilio helper: webhook() + VoiceResponse', target: 'helper', request: VOICE_REQUEST },
  { label: 'Switchboard POST /voice (signed, config menu)', target: 'switchboard', request: VOICE_REQUEST },
  { label: 'Switchboard POST /sms (signed, auto-reply)', target: 'switchboard', request: SMS_REQUEST },
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
  console.log(`webhooks: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s per load, 127.0.0.1\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const rows: Figures[] = [];
  for (const load of LOADS) {
    const figures = await measure(load, dir);
    rows.push(figures);
    console.log(`${load.label.padEnd(48)} ${Math.round(figures.rps).toString().padStart(7)} req/s  p99 ${figures.p99} ms`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const [bare, helper, voice] = rows as [Figures, Figures, Figures];
  const ratios = [
    `- Switchboard /voice ÷ bare ceiling: **${(voice.rps / bare.rps).toFixed(2)}×** (target ≥ 0.8×)`,
    `- Switchboard /voice ÷ twilio helper stack: **${(voice.rps / helper.rps).toFixed(2)}×** (target ≥ 1.2×)`,
    `- Switchboard peak RSS under load: **${voice.rssLoadedMb.toFixed(0)} MB** (target < 100 MB)`,
  ];
  console.log('\n' + ratios.join('\n'));

  console.log('\nTwiML builder (documents/s):');
  const twiml = execFileSync(process.execPath, [path.join(__dirname, 'twiml.js')], { encoding: 'utf8' });
  console.log(twiml);

  const report = [
    '# Benchmark results',
    '',
    `Measured ${started.toISOString().slice(0, 10)} on ${machine} by \`npm run bench\`.`,
    `Webhooks: autocannon, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s, each server in its own process.`,
    'Switchboard is the real server (`dist/src/server.js`, NODE_ENV=production): signature check on, the call recorded in SQLite, one JSON log line per request.',
    '',
    '## Webhook throughput',
    '',
    table(rows),
    '',
    ...ratios,
    '',
    '## TwiML builder',
    '',
    '```',
    twiml.trim(),
    '```',
    '',
  ].join('\n');
  const out = path.resolve(__dirname, '../../bench/RESULTS.md');
  fs.writeFileSync(out, report);
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
