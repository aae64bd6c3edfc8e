import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithBrowser, launchBrowser, type TestBrowser } from '../support/browser';
import { startChildServer, type ChildServer } from '../support/child-server';
import { runCli } from '../support/cli';
import { formBody, twilioSign } from '../support/twilio-sign';

const API_KEY = 'dashboard-browser-key-0123456789';
const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';
const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');
const CALLER = '+15551230001';
const OTHER = '+15551230002';
const CALL_SID = 'CA' + '7'.repeat(32);
const OTHER_SID = 'CA' + '8'.repeat(32);

const run = describeWithBrowser();

run('the history page in Chromium', () => {
  let server: ChildServer;
  let browser: TestBrowser;
  let dir: string;
  let origin: string;

  /** A status callback signed as Twilio signs it (no PUBLIC_BASE_URL: the URL is the one we post to). */
  async function statusCallback(params: Record<string, string>): Promise<void> {
    const url = `${origin}/status/call`;
    const pairs = Object.entries(params);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSign(TOKEN, url, pairs) },
      body: formBody(pairs),
    });
    expect(res.status).toBe(204);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-dashboard-'));
    server = await startChildServer({ API_KEY, CONFIG_PATH: EXAMPLE, TWILIO_AUTH_TOKEN: TOKEN, DATABASE_PATH: path.join(dir, 'db.sqlite') }, dir);
    origin = `http://127.0.0.1:${server.port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('sign in, filter by number, open the simulated call and see its timeline; screenshot', async () => {
    // Two IVR walks with the CLI (both end in voicemail, in or out of business hours), then the
    // status callbacks Twilio would post for the first one, written out here (the simulator's own
    // call-ended callback is turned off) so the timeline's entries are known exactly.
    const env = { TWILIO_AUTH_TOKEN: TOKEN, SWITCHBOARD_URL: origin };
    for (const [sid, from] of [[CALL_SID, CALLER], [OTHER_SID, OTHER]] as const) {
      const walk = await runCli(['simulate', 'call', '--digits', '3', '--call-sid', sid, '--from', from, '--no-status-callback'], env);
      expect(walk.stderr).toBe('');
      expect(walk.code).toBe(0);
    }
    const base = { CallSid: CALL_SID, AccountSid: 'AC' + '0'.repeat(32), From: CALLER, To: '+15555550199', Direction: 'inbound' };
    await statusCallback({ ...base, CallStatus: 'in-progress', SequenceNumber: '0' });
    await statusCallback({ ...base, CallStatus: 'completed', SequenceNumber: '1', CallDuration: '12' });

    const page = await browser.context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));

    await page.goto(`${origin}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.getByLabel('API key').fill(API_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Calls' }).waitFor();
    expect(page.url()).toBe(`${origin}/dashboard`);
    expect(await page.locator('table:not([data-chart]) tbody tr').count()).toBe(2);

    await page.getByLabel('Number').fill(CALLER);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/number=%2B15551230001/);
    const rows = page.locator('table:not([data-chart]) tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').allInnerTexts()).toEqual([expect.stringMatching(/ UTC$/), 'inbound', CALLER, '+15555550199', 'completed', '12 s', '']);

    await page.getByRole('link', { name: CALL_SID }).click();
    await page.getByRole('heading', { name: `Call ${CALL_SID}` }).waitFor();
    const timeline = page.getByRole('list', { name: 'Status timeline' });
    expect((await timeline.locator('> li').allInnerTexts()).map((text) => text.split('\n')[0]?.replace(/^.* UTC — /, ''))).toEqual([
      'Call in-progress #0',
      'Call completed #1 · CallDuration: 12',
    ]);
    const voicemail = page.getByRole('region', { name: /^Voicemail RE/ });
    expect(await voicemail.innerText()).toContain('taken by flow:voicemail');
    expect(await voicemail.locator('audio').getAttribute('src')).toMatch(/^https:\/\/recordings\.example\.com\/simulated\/RE[0-9a-f]{32}\.mp3$/);

    const shot = path.join(dir, 'call.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = fs.readFileSync(shot);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // To look at it (or keep it as a CI artifact): SCREENSHOT_DIR=/some/folder npx jest test/dashboard/browser
    if (process.env.SCREENSHOT_DIR) fs.copyFileSync(shot, path.join(process.env.SCREENSHOT_DIR, 'dashboard-call.png'));

    // Everything came from our own origin (the player loads nothing until asked), and the key is not on any page.
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(await page.content()).not.toContain(API_KEY);
    expect(problems).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${origin}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.close();
  }, 60_000);
});
