// Outbound: POST /api/messages under load, and a 10,000-recipient bulk job, both against the fake
// Twilio API on loopback, next to their baselines: the fake called directly (the ceiling for the
// API), and twilio-node sending the same 10,000 messages with the same concurrency as the bulk runner.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } from '../test/support/fake-twilio';
import { PARALLEL_SENDS } from '../src/outbox/bulk-runner';
import { peakRss, startSwitchboard } from './harness';
import { BENCH_API_KEY, outboundBenchEnv, RECIPIENTS } from './outbound-fixtures';

const CONNECTIONS = 200;
const BULK_ROUNDS = 5;
const BULK_DEADLINE_MS = 300_000;

export interface OutboundFigures {
  lines: string[];
}

export interface FakeProcess {
  child: ChildProcess;
  baseUrl: string;
  count(): Promise<{ requests: number; rejected: number; duplicates: number }>;
  stop(): Promise<void>;
}

export function startFake(): Promise<FakeProcess> {
  const child = fork(path.join(__dirname, 'targets', 'fake-twilio.js'), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { baseUrl?: string }) => {
      if (message.baseUrl === undefined) return;
      resolve({
        child,
        baseUrl: message.baseUrl,
        count: () =>
          new Promise((done) => {
            child.once('message', (m) => done(m as { requests: number; rejected: number; duplicates: number }));
            child.send('count');
          }),
        stop: () => new Promise<void>((done) => child.once('exit', () => done()).send('stop')),
      });
    });
    child.once('exit', (code) => reject(new Error(`fake Twilio exited with ${code}`)));
  });
}

interface BulkRound {
  seconds: number;
  count: { requests: number; rejected: number; duplicates: number };
}
type OurRound = BulkRound & { state: string; sent: number };
type TheirRound = BulkRound & { peakMb: number };

/** p50 and p99 of the response times the server logged for `path`, in ms. */
function loggedLatency(logFile: string, path: string): { p50: number; p99: number; count: number } {
  const times: number[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes(path)) continue;
    const entry = JSON.parse(line) as { msg?: string; req?: { path?: string }; responseTime?: number };
    if (entry.msg === 'request completed' && entry.req?.path === path && entry.responseTime !== undefined) times.push(entry.responseTime);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0);
  return { p50: at(0.5), p99: at(0.99), count: times.length };
}

/** The round with the median time. */
function median<T extends BulkRound>(rounds: T[]): T {
  return [...rounds].sort((a, b) => a.seconds - b.seconds)[Math.floor(rounds.length / 2)] as T;
}

/** Posts a 10,000-recipient job and waits for it, timed to the completion the server recorded. */
export async function bulkJob(base: string): Promise<Omit<OurRound, 'count'>> {
  const started = Date.now();
  const created = await fetch(`${base}/api/messages/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: RECIPIENTS, body: 'Bench: hello from Switchboard' }),
  });
  const job = (await created.json()) as { id: string };
  let progress: { state: string; counts: Record<string, number>; updatedAt?: string } = { state: 'running', counts: {} };
  while (progress.state !== 'completed' && Date.now() - started < BULK_DEADLINE_MS) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const res = await fetch(`${base}/api/jobs/${job.id}`, { headers: { authorization: `Bearer ${BENCH_API_KEY}` } });
    progress = (await res.json()) as typeof progress;
  }
  // Same machine, same clock: the polling interval does not count against the job.
  const finishedAt = progress.state === 'completed' && progress.updatedAt !== undefined ? Date.parse(progress.updatedAt) : Date.now();
  return { seconds: (finishedAt - started) / 1000, state: progress.state, sent: progress.counts.sent ?? 0 };
}

function helperSend(baseUrl: string): Promise<{ seconds: number; peakMb: number }> {
  const child = fork(path.join(__dirname, 'targets', 'helper-sender.js'), [baseUrl], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { seconds: number; peakMb: number }) => {
      child.kill();
      resolve(message);
    });
    child.once('exit', (code) => code !== null && code !== 0 && reject(new Error(`helper sender exited with ${code}`)));
  });
}

export async function measureOutbound(dir: string, durationS: number): Promise<OutboundFigures> {
  const fake = await startFake();
  const auth = `Basic ${Buffer.from(`${FAKE_ACCOUNT_SID}:${FAKE_AUTH_TOKEN}`).toString('base64')}`;
  const lines: string[] = [];
  try {
    // The ceiling: the fake itself, without Switchboard in front.
    const direct = await autocannon({
      url: `${fake.baseUrl}/2010-04-01/Accounts/${FAKE_ACCOUNT_SID}/Messages.json`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: durationS,
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B15550100000&From=%2B15005550006&Body=bench',
    });
    await fake.count();

    const server = await startSwitchboard(dir, outboundBenchEnv(fake.baseUrl));
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const api = await autocannon({
        url: `${base}/api/messages`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: durationS,
        headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: '+15550100000', body: 'bench' }),
      });
      // Requests still in flight when the load stopped finish before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const apiCount = await fake.count();
      const inside = server.logFile === undefined ? undefined : loggedLatency(server.logFile, '/api/messages');
      lines.push(
        '| load | requests/s | p50 ms | p99 ms | non-2xx | errors |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        `| fake Twilio called directly (ceiling) | ${Math.round(direct.requests.average)} | ${direct.latency.p50} | ${direct.latency.p99} | ${direct.non2xx} | ${direct.errors} |`,
        `| Switchboard POST /api/messages → fake Twilio | ${Math.round(api.requests.average)} | ${api.latency.p50} | ${api.latency.p99} | ${api.non2xx} | ${api.errors} |`,
        '',
        `- /api/messages ÷ direct: **${(api.requests.average / direct.requests.average).toFixed(2)}×**, with the outbox written for every send ` +
          `(${apiCount.requests} requests reached the fake, ${apiCount.rejected} refused by it)`,
        ...(inside
          ? [
              `- inside the server (the response time on its request log lines, ${inside.count} requests): p50 ${inside.p50} ms, p99 ${inside.p99} ms. ` +
                'The rest of the p99 above is spent outside the handling of a request, waiting to be read and in the load generator: all three processes share the cores',
            ]
          : []),
      );

      // The job and the baseline take turns for BULK_ROUNDS rounds; the median round of each is
      // shown, as with the webhook loads, so one noisy moment does not decide the ratio.
      const ourRounds: OurRound[] = [];
      const theirRounds: TheirRound[] = [];
      for (let round = 0; round < BULK_ROUNDS; round++) {
        const ours = await bulkJob(base);
        ourRounds.push({ ...ours, count: await fake.count() });
        const helper = await helperSend(fake.baseUrl);
        theirRounds.push({ ...helper, count: await fake.count() });
      }
      const ours = median(ourRounds);
      const theirs = median(theirRounds);
      const ourPeak = peakRss(server.child.pid);
      const rate = (r: BulkRound) => RECIPIENTS.length / r.seconds;
      lines.push(
        '',
        `| 10,000-recipient bulk send, ${PARALLEL_SENDS} requests at a time, median of ${BULK_ROUNDS} rounds | messages/s | seconds | peak RSS MB | requests | duplicates |`,
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        `| twilio-node \`messages.create\`, ${PARALLEL_SENDS} at a time (baseline) | ${Math.round(rate(theirs))} | ${theirs.seconds.toFixed(1)} | ${theirs.peakMb.toFixed(0)} | ${theirs.count.requests} | ${theirs.count.duplicates} |`,
        `| Switchboard bulk job (outbox row per recipient, state ${ours.state}, sent ${ours.sent}) | ${Math.round(rate(ours))} | ${ours.seconds.toFixed(1)} | ${ourPeak.toFixed(0)} | ${ours.count.requests} | ${ours.count.duplicates} |`,
        '',
        `- bulk job ÷ twilio-node: **${(rate(ours) / rate(theirs)).toFixed(2)}×** (target ≥ 1.0×); rounds, messages/s: ` +
          `Switchboard ${ourRounds.map((r) => Math.round(rate(r))).join(', ')}; twilio-node ${theirRounds.map((r) => Math.round(rate(r))).join(', ')}. ` +
          `Switchboard's peak RSS covers the whole server, including the API load before it`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await fake.stop();
  }
  return { lines };
}
