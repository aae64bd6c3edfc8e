import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeWithBrowser, launchBrowser, type TestBrowser } from '../support/browser';
import { startChildServer, type ChildServer } from '../support/child-server';

const API_KEY = 'k'.repeat(32);
const ENV = {
  API_KEY,
  TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32),
  TWILIO_AUTH_TOKEN: 'f'.repeat(32),
  TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32),
  TWILIO_API_KEY_SECRET: 'the-api-key-secret-0123456789abcdef',
  TWILIO_TWIML_APP_SID: 'AP' + 'c'.repeat(32),
  TWILIO_FROM_NUMBER: '+15005550006',
};

const run = describeWithBrowser();

run('the softphone page in Chromium', () => {
  let server: ChildServer;
  let browser: TestBrowser;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-phone-'));
    server = await startChildServer({ ...ENV, DATABASE_PATH: path.join(dir, 'db.sqlite'), LOG_LEVEL: 'info' }, dir);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('asks for the API key, gets a token, and says plainly that Twilio cannot be reached', async () => {
    const page = await browser.context.newPage();
    const origin = `http://127.0.0.1:${server.port}`;
    const requests: string[] = [];
    const sockets: string[] = [];
    const errors: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('pageerror', (err) => errors.push(err.message));

    await page.goto(`${origin}/phone`);
    await page.locator('#status[data-state="signed-out"]').waitFor();
    await page.fill('#api-key', API_KEY);
    await page.fill('#identity', 'front-desk');
    const token = page.waitForResponse((res) => res.url() === `${origin}/client/token`);
    await page.click('button[type=submit]');
    expect((await token).status()).toBe(200);

    // The SDK cannot reach Twilio's signalling servers here; the page must say so, not spin.
    const status = page.locator('#status[data-state="unreachable"]');
    await status.waitFor({ timeout: 15_000 });
    expect(await status.innerText()).toMatch(/^Cannot reach Twilio\nThis browser could not connect to Twilio \(.+\)\. Calls need a connection to \*\.twilio\.com on port 443/);
    expect(await page.locator('#retry').isVisible()).toBe(true);
    expect(await page.locator('#phone').isVisible()).toBe(false);

    // Everything came from our own origin; the only thing tried elsewhere is Twilio's signalling.
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(requests).toEqual(expect.arrayContaining([`${origin}/phone`, `${origin}/phone/phone.js`, `${origin}/client/token`]));
    for (const url of sockets) expect(new URL(url).hostname).toMatch(/\.twilio\.com$/);
    expect(errors).toEqual([]);

    // The key is kept for the tab: a reload goes straight to connecting.
    await page.reload();
    await page.locator('#status[data-state="unreachable"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('#login').isVisible()).toBe(false);
    await page.close();
  });

  test('a wrong API key sends the user back to the key form', async () => {
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/phone`);
    await page.locator('#status[data-state="signed-out"]').waitFor();
    await page.fill('#api-key', 'not-the-right-key-at-all');
    await page.click('button[type=submit]');
    await page.locator('#status[data-state="signed-out"]', { hasText: 'The API key was not accepted.' }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('switchboard.apiKey')")).toBeNull();
    await page.close();
  });

  test('a network that swallows packets still ends in "Cannot reach Twilio", after the 10 s bound', async () => {
    // Twilio's hosts lead to a loopback port that accepts and never answers, like a silent firewall.
    const sockets = new Set<net.Socket>();
    const blackhole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const { port } = blackhole.address() as net.AddressInfo;
    const silent = await launchBrowser({ mapHosts: [`MAP *.twilio.com 127.0.0.1:${port}`] });
    try {
      const page = await silent.context.newPage();
      await page.goto(`http://127.0.0.1:${server.port}/phone`);
      await page.fill('#api-key', API_KEY);
      await page.click('button[type=submit]');
      await page.locator('#status[data-state="registering"]').waitFor();
      const status = page.locator('#status[data-state="unreachable"]');
      await status.waitFor({ timeout: 20_000 });
      expect(await status.innerText()).toContain('This browser could not connect to Twilio (no answer within 10 seconds).');
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      await silent.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackhole.close(resolve));
    }
  }, 40_000);
});
