import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpRequester } from '../../src/twilio';

let server: http.Server;
let base: string;
let connections: number;
const seen: Array<{ method: string | undefined; length: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, length: req.headers['content-length'], body });
      if (req.url === '/hang') return; // never answers
      if (req.url === '/cut') {
        // Half an answer, then the connection dies.
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"sid":');
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      res.writeHead(201, { 'Content-Type': 'application/json', 'Retry-After': '7' });
      res.end('{"sid":"SM1","body":"héllo"}');
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  connections = 0;
  seen.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('sends the form with its length and reads the whole answer, over one kept-alive connection', async () => {
  const send = createHttpRequester();
  const request = { url: `${base}/x`, method: 'POST' as const, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Body=h%C3%A9llo', timeoutMs: 5_000 };
  for (let i = 0; i < 3; i++) {
    expect(await send(request)).toEqual({ status: 201, retryAfter: '7', text: '{"sid":"SM1","body":"héllo"}' });
  }
  expect(seen).toEqual(Array(3).fill({ method: 'POST', length: '15', body: 'Body=h%C3%A9llo' }));
  expect(connections).toBe(1);
});

test('an answer that never comes fails with a TimeoutError at the deadline', async () => {
  const send = createHttpRequester();
  const error = await send({ url: `${base}/hang`, method: 'POST', headers: {}, body: 'a=1', timeoutMs: 200 }).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'TimeoutError', message: 'no complete answer within 200 ms' });
});

test('an answer cut off halfway fails at once with the reset, not at the deadline', async () => {
  // A deadline far past jest's own timeout: waiting for it would fail the test.
  const error = await createHttpRequester()({ url: `${base}/cut`, method: 'POST', headers: {}, body: 'a=1', timeoutMs: 60_000 }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'ECONNRESET' });
  expect(error).not.toMatchObject({ name: 'TimeoutError' });
});

test('a refused connection fails with its system code', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const error = await createHttpRequester()({ url: `http://127.0.0.1:${port}/`, method: 'GET', headers: {}, body: undefined, timeoutMs: 2_000 }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'ECONNREFUSED' });
});
