import path from 'node:path';
import { flowDiagram } from '../../src/flows/flow-diagram';
import { nodeTag } from '../../src/flows/flow-layout';
import { loadSettingsFile, parseSettings } from '../../src/settings';
import { svgElements } from '../support/svg';

const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');

describe('renderFlowSvg', () => {
  const { svg, graph } = flowDiagram(loadSettingsFile(EXAMPLE, true).voice, { standalone: true, nodeHref: (name) => `/n/${name}` });
  const elements = svgElements(svg);

  test('a standalone document: XML declaration, namespace, its own styles, an accessible title', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" class="flow" ')).toBe(true);
    const root = elements[0];
    expect(root?.name).toBe('svg');
    expect(root?.attributes['aria-labelledby']).toBe('flow-title');
    const title = elements.find((e) => e.name === 'title');
    expect(title?.attributes.id).toBe('flow-title');
    expect(title?.text).toBe('Voice flow: 9 nodes and 13 exits, starting at office-hours');
    expect(elements.find((e) => e.name === 'style')?.text).toContain('svg.flow .flow-node.unreachable rect');
  });

  test('every node a box with its name, type and summary, linked; the start marked', () => {
    const boxes = elements.filter((e) => e.name === 'g' && e.attributes['data-node'] !== undefined);
    expect(boxes.map((g) => g.attributes['data-node'])).toEqual(graph.nodes.map((n) => n.name));
    // Each box's three lines, in order: name, type (with marks), summary.
    const lines = elements.filter((e) => e.name === 'text' && ['flow-name', 'flow-tag', 'flow-summary'].includes(e.attributes.class ?? '')).map((e) => e.text);
    const triples = graph.nodes.map((_node, i) => lines.slice(3 * i, 3 * i + 3));
    expect(triples).toEqual(graph.nodes.map((n) => [n.name, nodeTag(n), n.summary]));
    expect(triples.slice(0, 2)).toEqual([
      ['office-hours', 'hours · start', 'mon-thu 09:00-17:00; fri 09:00-12:00 13:00-16:00'],
      ['main', 'menu', '"For sales, press 1 or say sales. For support,…'],
    ]);
    expect(lines).toHaveLength(27);
    expect(boxes[0]?.attributes.class).toBe('flow-node start');
    expect(elements.filter((e) => e.name === 'a').map((a) => a.attributes.href)).toEqual(graph.nodes.map((n) => `/n/${n.name}`));
  });

  test('every edge a path with its label', () => {
    const edges = elements.filter((e) => e.name === 'g' && e.attributes.class === 'flow-edge');
    expect(edges.map((g) => [g.attributes['data-from'], g.text, g.attributes['data-to']])).toEqual(graph.edges.map((e) => [e.from, e.label, e.to]));
    expect(elements.filter((e) => e.name === 'path' && e.attributes['marker-end'] === 'url(#flow-title-arrow)')).toHaveLength(13);
  });

  test('text from the config is escaped, never markup', () => {
    const hostile = parseSettings(
      { voice: { start: 'x', nodes: { x: { type: 'say', message: { say: '<script>alert("x")</script> & \'more\'' } }, y: { type: 'hangup' } } } },
      'test',
    );
    const out = flowDiagram(hostile.voice, { standalone: false }).svg;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&quot;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;&quot;');
    const summary = svgElements(out).find((e) => e.attributes.class === 'flow-summary');
    expect(summary?.text).toBe('"<script>alert("x")</script> & \'more\'"');
    // Inline (for the dashboard): no declaration, no <style> (the page's stylesheet has it), unreachable marked.
    expect(out.startsWith('<svg ')).toBe(true);
    expect(out).not.toContain('<style>');
    expect(svgElements(out).find((e) => e.attributes['data-node'] === 'y')?.attributes.class).toBe('flow-node unreachable');
  });
});
