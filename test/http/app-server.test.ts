import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { appServer } from '../../src/http/app-server';

describe('appServer', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  test("requests and responses arrive with the app's prototypes, and Express works on them as usual", async () => {
    const app = express();
    const seen: Array<{ req: boolean; res: boolean; nodeReq: boolean; nodeRes: boolean }> = [];
    app.use((req, res, next) => {
      seen.push({
        req: Object.getPrototypeOf(req) === app.request,
        res: Object.getPrototypeOf(res) === app.response,
        nodeReq: req instanceof http.IncomingMessage,
        nodeRes: res instanceof http.ServerResponse,
      });
      next();
    });
    app.use(express.urlencoded({ extended: false }));
    app.post('/echo/:name', (req, res) => {
      res.status(201).json({ name: req.params.name, query: req.query, body: req.body as unknown, path: req.path, secure: req.secure });
    });
    server = appServer(app);
    const res = await request(server).post('/echo/x?a=1').type('form').send({ b: '2' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'x', query: { a: '1' }, body: { b: '2' }, path: '/echo/x', secure: false });
    expect(seen).toEqual([{ req: true, res: true, nodeReq: true, nodeRes: true }]);
  });

  test('keep-alive requests on one connection each get a fresh request and response', async () => {
    const app = express();
    let count = 0;
    app.get('/n', (_req, res) => {
      res.json({ n: ++count });
    });
    server = appServer(app);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<string>((resolve, reject) => {
        http.get({ port, host: '127.0.0.1', path: '/n', agent }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
    expect([await get(), await get(), await get()]).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    agent.destroy();
  });
});
