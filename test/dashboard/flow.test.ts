import path from 'node:path';
import request from 'supertest';
import { loadSettingsFile, parseSettings, SettingsHolder } from '../../src/settings';
import { buildTestApp, type TestApp } from '../support/app';
import { DASHBOARD_CSP } from '../support/dashboard-csp';
import { svgElements, svgIn } from '../support/svg';

const API_KEY = 'dashboard-key-0123456789abcdef';
const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');

let t: TestApp;
beforeEach(() => {
  t = buildTestApp({ API_KEY }, undefined, { settings: loadSettingsFile(EXAMPLE, true) });
});
afterEach(() => t.close());

const get = (path: string) => request(t.app).get(path).auth('owner', API_KEY);

describe('/dashboard/flow', () => {
  test('draws every node and edge of the example config inline, under the unchanged CSP', async () => {
    const res = await get('/dashboard/flow');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(res.text).not.toMatch(/<script|style=|<style/i);
    const elements = svgElements(svgIn(res.text));
    expect(elements.filter((e) => e.attributes['data-node'] !== undefined).map((e) => e.attributes['data-node'])).toEqual([
      'office-hours', 'main', 'sales', 'support', 'voicemail', 'after-hours', 'main.9', 'support.1', 'support.2',
    ]);
    expect(elements.filter((e) => e.attributes.class === 'flow-edge').map((e) => `${e.attributes['data-from']} -${e.text}-> ${e.attributes['data-to']}`)).toEqual([
      'office-hours -open-> main',
      'office-hours -closed-> after-hours',
      'main -1 · "sales"-> sales',
      'main -2 · "support"-> support',
      'main -3-> voicemail',
      'main -9-> main.9',
      'main -invalid / no input-> voicemail',
      'sales -no answer / busy / failed-> voicemail',
      'support -1-> support.1',
      'support -2-> support.2',
      'support -invalid / no input-> voicemail',
      'after-hours -next-> voicemail',
      'support.1 -no answer / busy / failed-> voicemail',
    ]);
    expect(elements.filter((e) => e.name === 'a').map((e) => e.attributes.href)).toContain('/dashboard/flow/nodes/main.9');
    expect(res.text).toContain('<a href="/dashboard/flow" aria-current="page">Voice flow</a>');
    // The same graph as a table, for reading without the picture.
    expect(res.text).toContain('<th scope="row"><a href="/dashboard/flow/nodes/office-hours">office-hours</a> (start)</th>');
    expect(res.text).not.toContain('Unreachable from the start');
  });

  test('the stylesheet carries the diagram styles', async () => {
    const css = await request(t.app).get('/dashboard/style.css');
    expect(css.text).toContain('svg.flow .flow-node.start rect');
  });

  test('a node page shows what `switchboard twiml <node>` prints, its ways in and out, and where the calls are', async () => {
    const res = await get('/dashboard/flow/nodes/sales');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    const twiml = /<pre class="twiml"><code>([\s\S]*?)<\/code><\/pre>/.exec(res.text)?.[1];
    expect(twiml).toBe(
      [
        '&lt;?xml version=&quot;1.0&quot; encoding=&quot;UTF-8&quot;?&gt;',
        '&lt;Response&gt;',
        '  &lt;Say&gt;Connecting you to sales.&lt;/Say&gt;',
        '  &lt;Dial action=&quot;/voice/node/sales/dial-result&quot; method=&quot;POST&quot; timeout=&quot;20&quot; callerId=&quot;+15005550001&quot;&gt;',
        '    &lt;Number&gt;+15005550006&lt;/Number&gt;',
        '  &lt;/Dial&gt;',
        '&lt;/Response&gt;',
      ].join('\n'),
    );
    expect(res.text).toContain('<li>no answer / busy / failed → <a href="/dashboard/flow/nodes/voicemail">voicemail</a></li>');
    expect(res.text).toContain('<li><a href="/dashboard/flow/nodes/main">main</a>: 1 · &quot;sales&quot;</li>');
    expect(res.text).toContain('does not record which steps of the flow a call passed');
    expect(res.text).toContain('see <a href="/dashboard">all calls</a>');
  });

  test('an unknown node is a 404; the pages need the API key', async () => {
    expect((await get('/dashboard/flow/nodes/nope')).status).toBe(404);
    expect((await get('/dashboard/flow/nodes/constructor')).status).toBe(404);
    const anonymous = await request(t.app).get('/dashboard/flow');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/dashboard/login?next=%2Fdashboard%2Fflow');
    expect((await request(t.app).get('/dashboard/flow/nodes/main').auth('owner', 'wrong-key')).status).toBe(401);
  });

  test('unreachable nodes are flagged above the diagram', async () => {
    await t.close();
    t = buildTestApp({ API_KEY }, undefined, {
      settings: parseSettings({ voice: { start: 'a', nodes: { a: { type: 'hangup' }, b: { type: 'say', message: { say: 'lost' } } } } }, 'test'),
    });
    const res = await get('/dashboard/flow');
    expect(res.text).toContain('Unreachable from the start (a): b.');
    expect(svgElements(svgIn(res.text)).find((e) => e.attributes['data-node'] === 'b')?.attributes.class).toBe('flow-node unreachable');
  });

  test('after a reload (SIGHUP swaps the settings) the next view draws the new flow', async () => {
    await t.close();
    const holder = new SettingsHolder(parseSettings({ voice: { start: 'a', nodes: { a: { type: 'hangup' } } } }, 'test'));
    t = buildTestApp({ API_KEY }, undefined, { settings: holder });
    const nodes = async () => svgElements(svgIn((await get('/dashboard/flow')).text)).filter((e) => e.attributes['data-node'] !== undefined).map((e) => e.attributes['data-node']);
    expect(await nodes()).toEqual(['a']);
    holder.replace(parseSettings({ voice: { start: 'b', nodes: { b: { type: 'say', message: { say: 'new' }, next: 'c' }, c: { type: 'hangup' } } } }, 'test'));
    expect(await nodes()).toEqual(['b', 'c']);
    expect((await get('/dashboard/flow/nodes/c')).status).toBe(200);
    expect((await get('/dashboard/flow/nodes/a')).status).toBe(404);
  });
});
