import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { flowGraph } from '../../src/flows/flow-graph';
import { loadSettingsFile, parseSettings } from '../../src/settings';
import { openSqliteStore } from '../../src/store';
import { describeWithBrowser, launchBrowser, type TestBrowser } from '../support/browser';
import { startChildServer, type ChildServer } from '../support/child-server';
import { fortyNodeConfig } from '../support/flow-config';
import { inside, overlap, overlapping, type Box } from '../support/geometry';

const API_KEY = 'dashboard-flow-key-0123456789abc';
const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');
/** Gitignored; SCREENSHOT_DIR puts them elsewhere (a CI artifact folder, say). */
const SHOTS = process.env.SCREENSHOT_DIR ?? path.resolve(__dirname, '../../test-output/screenshots');
const HOUR_MS = 3_600_000;

const run = describeWithBrowser();

run('the flow diagram and the charts in Chromium', () => {
  let browser: TestBrowser;
  let dir: string;
  const servers: ChildServer[] = [];

  async function serve(configFile: string, database: string): Promise<string> {
    const server = await startChildServer({ API_KEY, CONFIG_PATH: configFile, DATABASE_PATH: database }, dir);
    servers.push(server);
    return `http://127.0.0.1:${server.port}`;
  }

  /** Cookies do not tell ports apart: after the first test the browser is signed in to every server (same key). */
  async function signIn(page: Page, origin: string, next: string): Promise<void> {
    await page.goto(`${origin}${next}`);
    if (new URL(page.url()).pathname !== '/dashboard/login') return;
    await page.getByLabel('API key').fill(API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}${next}`);
  }

  /** Every node's box is visible, carries its name, holds its three lines, and overlaps no other box. */
  async function checkDiagram(page: Page, names: readonly string[]): Promise<void> {
    const svg = page.locator('figure.flow-figure svg.flow');
    await svg.waitFor();
    const boxes: Array<Box & { name: string }> = [];
    for (const name of names) {
      const node = svg.locator(`g[data-node="${name}"]`);
      const label = node.locator('text.flow-name');
      expect(await label.isVisible()).toBe(true);
      expect(await label.textContent()).toBe(name);
      const rect = await node.locator('rect').boundingBox();
      expect(rect).not.toBeNull();
      for (const line of await node.locator('text').all()) {
        const text = await line.boundingBox();
        expect({ name, line: await line.textContent(), fits: text !== null && rect !== null && inside(text, rect) }).toEqual({
          name,
          line: await line.textContent(),
          fits: true,
        });
      }
      boxes.push({ name, ...(rect as Box) });
    }
    expect(overlapping(boxes)).toEqual([]);
    // The boxes in SVG coordinates agree (getBBox, through the rect attributes the server wrote).
    const attributes = await svg.locator('g[data-node] > rect').evaluateAll((rects) =>
      rects.map((r) => {
        const box = (r as unknown as { getBBox(): Box }).getBBox();
        return { x: box.x, y: box.y, width: box.width, height: box.height };
      }),
    );
    expect(attributes).toHaveLength(names.length);
    expect(attributes.flatMap((a, i) => attributes.slice(i + 1).filter((b) => overlap(a, b)))).toEqual([]);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-flow-browser-'));
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the example config: every node drawn and named, no overlaps, links to each node; screenshot', async () => {
    const origin = await serve(EXAMPLE, path.join(dir, 'example.db'));
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await page.setViewportSize({ width: 1600, height: 900 });
    await signIn(page, origin, '/dashboard/flow');
    const names = flowGraph(loadSettingsFile(EXAMPLE, true).voice).nodes.map((n) => n.name);
    expect(names).toHaveLength(9);
    await checkDiagram(page, names);
    expect(await page.locator('svg.flow g.flow-edge').count()).toBe(13);
    await page.screenshot({ path: path.join(SHOTS, 'flow-example.png'), fullPage: true });

    // A click on a box opens the node's page with its TwiML.
    await page.locator('svg.flow a', { has: page.locator('g[data-node="sales"]') }).click();
    await page.getByRole('heading', { name: 'Flow node sales' }).waitFor();
    expect(await page.locator('pre.twiml').textContent()).toContain('<Number>+15005550006</Number>');
    // Nothing was refused by the CSP (it would show as a console error).
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('a 40-node config: every node visible by name, no two boxes overlapping; screenshot', async () => {
    const file = path.join(dir, 'forty.json');
    fs.writeFileSync(file, JSON.stringify(fortyNodeConfig()));
    const origin = await serve(file, path.join(dir, 'forty.db'));
    const page = await browser.context.newPage();
    const names = flowGraph(parseSettings(fortyNodeConfig(), 'forty').voice).nodes.map((n) => n.name);
    expect(names).toHaveLength(40);
    await page.setViewportSize({ width: 1400, height: 900 });
    await signIn(page, origin, '/dashboard/flow');
    // Wide enough for the whole diagram, so that the screenshot shows it all at its real size.
    const size = await page.locator('svg.flow').boundingBox();
    await page.setViewportSize({ width: Math.ceil((size?.width ?? 1400) + 80), height: 900 });
    await checkDiagram(page, names);
    expect(await page.locator('svg.flow g.flow-node.unreachable').getAttribute('data-node')).toBe('orphan');
    await page.screenshot({ path: path.join(SHOTS, 'flow-40-nodes.png'), fullPage: true });
    // A part at its real size, to judge the text's legibility without scaling.
    const drawn = (await page.locator('svg.flow').boundingBox()) as Box;
    await page.screenshot({ path: path.join(SHOTS, 'flow-40-nodes-detail.png'), clip: { x: drawn.x, y: drawn.y, width: 1200, height: 800 } });
    await page.close();
  }, 90_000);

  test('the home page draws the charts from the rows in the database; screenshot', async () => {
    // Rows written before the server starts, at times relative to now (the server's clock).
    const database = path.join(dir, 'charts.db');
    const now = Date.now();
    let at = new Date(now);
    const store = openSqliteStore(database, { now: () => at });
    const times = { calls: now - 2 * HOUR_MS, messages: now - 5 * HOUR_MS };
    at = new Date(times.calls);
    for (const sid of ['CA1', 'CA2', 'CA3']) await store.recordInboundCall({ sid, from: '+15550000001', to: '+15550000002', status: 'ringing' });
    at = new Date(times.messages);
    for (const [n, status, code] of [[1, 'delivered', null], [2, 'delivered', null], [3, 'undelivered', 30003]] as const) {
      const sid = `SM${String(n).padStart(32, '0')}`;
      await store.insertOutbound({ id: `req-${n}`, kind: 'message', params: {} });
      await store.markInFlight(`req-${n}`);
      await store.markSent(`req-${n}`, { sid }, { kind: 'message', sid, from: '+15550000002', to: '+15550000001', status: 'queued', body: 'x', mediaUrls: [] });
      await store.applyMessageStatus({
        messageSid: sid, status, sequenceNumber: null, dedupeKey: `${sid}:${status}`, direction: null, from: null, to: null, body: null,
        errorCode: code, price: null, priceUnit: null, params: {},
      });
    }
    await store.close();

    const origin = await serve(EXAMPLE, database);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, origin, '/dashboard');
    const rows = async (id: string) =>
      Promise.all((await page.locator(`table[data-chart="${id}"] tbody tr`).all()).map(async (tr) => (await tr.locator('th, td').allInnerTexts()).map((s) => s.trim())));
    const hourLabel = (ms: number) => `${new Date(ms).toISOString().slice(11, 13)}:00`;
    const busy = (table: string[][]) => table.filter(([, inbound, outbound]) => inbound !== '0' || outbound !== '0');
    expect(busy(await rows('calls-hourly'))).toEqual([[hourLabel(times.calls), '3', '0']]);
    expect(busy(await rows('messages-hourly'))).toEqual([[hourLabel(times.messages), '0', '3']]);
    const dayLabel = (ms: number) => new Date(ms).toISOString().slice(5, 10);
    expect(busy(await rows('calls-daily'))).toEqual([[dayLabel(times.calls), '3', '0']]);
    expect(busy(await rows('messages-daily'))).toEqual([[dayLabel(times.messages), '0', '3']]);
    expect(await rows('delivery-outcomes')).toEqual([
      ['delivered', '2'],
      ['failed', '0'],
      ['undelivered', '1'],
    ]);
    expect(await rows('error-codes')).toEqual([['30003', '0', '1', '1']]);

    // The pictures are there: each chart drawn with its bars, an accessible name from its title.
    for (const id of ['calls-hourly', 'messages-hourly', 'calls-daily', 'messages-daily', 'delivery-outcomes', 'error-codes']) {
      const chart = page.locator(`figure#${id} svg[role="img"]`);
      expect(await chart.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect((box?.width ?? 0) >= 500 && (box?.height ?? 0) >= 60).toBe(true);
    }
    expect(await page.getByRole('img', { name: 'Calls per hour, last 24 hours (UTC)' }).count()).toBe(1);
    // Bars are the svg's own rects; the legend's swatches sit in g.legend.
    const bar = page.locator('figure#calls-hourly svg > rect.bar-inbound');
    expect(await bar.count()).toBe(1);
    expect(((await bar.boundingBox())?.height ?? 0) > 100).toBe(true);
    expect(await page.locator('figure#delivery-outcomes svg > rect.bar-delivered').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-home-charts.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
