// 30 s at 100 connections on the signed voice webhook, against the built server in its own
// process (so the load generator has this event loop to itself): zero errors, zero non-2xx.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SERVER_ENTRY } from '../support/child-server';
import { formBody, twilioSign } from '../support/twilio-sign';

const AUTH_TOKEN = 'load-auth-token-0a1b2c3d4e5f6071';
const BASE = 'https://sb.example.com';
const DURATION_S = 30;
const CONNECTIONS = 100;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not come up');
}

test(`${CONNECTIONS} connections for ${DURATION_S} s on the signed /voice webhook: no errors, every answer 2xx`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-load-'));
  const port = await freePort();
  // Warn level: a log line per request would make the pipe to this process part of the load.
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'test', LOG_LEVEL: 'warn', TWILIO_AUTH_TOKEN: AUTH_TOKEN, PUBLIC_BASE_URL: BASE, DATABASE_PATH: 'sb.db' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitForHealth(port);
    const pairs: Array<[string, string]> = [
      ['AccountSid', 'AC' + '0'.repeat(32)],
      ['CallSid', 'CA' + 'e'.repeat(32)],
      ['CallStatus', 'ringing'],
      ['Direction', 'inbound'],
      ['From', '+15550001111'],
      ['To', '+15550002222'],
    ];
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/voice`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSign(AUTH_TOKEN, `${BASE}/voice`, pairs) },
      body: formBody(pairs),
    });
    // The figure for the README's reliability table; the assertions below are the test.
    process.stdout.write(`load: ${result.requests.total} requests, ${result.requests.average} req/s, p99 ${result.latency.p99} ms\n`);
    expect({ errors: result.errors, timeouts: result.timeouts, non2xx: result.non2xx, resets: result.resets }).toEqual({ errors: 0, timeouts: 0, non2xx: 0, resets: 0 });
    expect(result['2xx']).toBe(result.requests.total);
    expect(result.requests.total).toBeGreaterThan(DURATION_S * 100);
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(stderr).toBe('');
}, (DURATION_S + 30) * 1000);
