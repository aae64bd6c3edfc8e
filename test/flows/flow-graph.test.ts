import path from 'node:path';
import { flowGraph, hoursSummary, shorten } from '../../src/flows/flow-graph';
import { chooseLayout, layoutFlow } from '../../src/flows/flow-layout';
import { loadSettingsFile, parseSettings } from '../../src/settings';
import { fortyNodeConfig } from '../support/flow-config';
import { overlapping } from '../support/geometry';

const EXAMPLE = path.resolve(__dirname, '../../switchboard.config.example.json');

describe('flowGraph: the voice flow as nodes and labelled edges', () => {
  test('every node and every way out of switchboard.config.example.json', () => {
    const graph = flowGraph(loadSettingsFile(EXAMPLE, true).voice);
    expect(graph.start).toBe('office-hours');
    expect(graph.nodes.map((n) => [n.name, n.type, n.summary, n.start, n.reachable])).toEqual([
      ['office-hours', 'hours', 'mon-thu 09:00-17:00; fri 09:00-12:00 13:00-16:00', true, true],
      ['main', 'menu', '"For sales, press 1 or say sales. For support,…', false, true],
      ['sales', 'forward', 'to +15005550006', false, true],
      ['support', 'menu', '"For billing, press 1. For technical support,…', false, true],
      ['voicemail', 'voicemail', 'records up to 120 s, transcribed', false, true],
      ['after-hours', 'say', '"Our office is closed. We are open Monday to…', false, true],
      ['main.9', 'conference', 'room acme-team', false, true],
      ['support.1', 'ring', 'rings +15005550007, +15005550008', false, true],
      ['support.2', 'redirect', 'POST https://example.com/tech-support.xml', false, true],
    ]);
    expect(graph.edges.map((e) => [e.from, e.label, e.to])).toEqual([
      ['office-hours', 'open', 'main'],
      ['office-hours', 'closed', 'after-hours'],
      ['main', '1 · "sales"', 'sales'],
      ['main', '2 · "support"', 'support'],
      ['main', '3', 'voicemail'],
      ['main', '9', 'main.9'],
      ['main', 'invalid / no input', 'voicemail'],
      ['sales', 'no answer / busy / failed', 'voicemail'],
      ['support', '1', 'support.1'],
      ['support', '2', 'support.2'],
      ['support', 'invalid / no input', 'voicemail'],
      ['after-hours', 'next', 'voicemail'],
      ['support.1', 'no answer / busy / failed', 'voicemail'],
    ]);
  });

  test('a node nothing leads to is unreachable, and so is everything only it leads to', () => {
    const graph = flowGraph(
      parseSettings(
        {
          voice: {
            start: 'hello',
            nodes: {
              hello: { type: 'say', message: { say: 'Hi' } },
              lost: { type: 'say', message: { play: 'https://example.com/a.mp3' }, next: 'also-lost' },
              'also-lost': { type: 'client', identities: ['alice', 'bob'], fallback: 'bye' },
              bye: { type: 'hangup' },
            },
          },
        },
        'test',
      ).voice,
    );
    expect(graph.nodes.map((n) => [n.name, n.summary, n.reachable])).toEqual([
      ['hello', '"Hi"', true],
      ['lost', 'plays https://example.com/a.mp3', false],
      ['also-lost', 'rings client:alice, client:bob', false],
      ['bye', 'hangs up', false],
    ]);
    expect(graph.edges.map((e) => [e.from, e.field, e.to])).toEqual([
      ['lost', 'next', 'also-lost'],
      ['also-lost', 'fallback', 'bye'],
    ]);
  });

  test('the built-in default flow is one start node', () => {
    const graph = flowGraph(parseSettings({}, 'defaults').voice);
    expect(graph.nodes.map((n) => [n.name, n.type, n.start, n.reachable])).toEqual([['start', 'say', true, true]]);
    expect(graph.edges).toEqual([]);
  });

  test('hours: runs of days with the same periods are joined; no periods is always closed', () => {
    expect(hoursSummary({ schedule: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], thu: ['09:00-17:00'], sun: ['10:00-11:00'] } })).toBe(
      'mon-tue 09:00-17:00; thu 09:00-17:00; sun 10:00-11:00',
    );
    expect(hoursSummary({ schedule: {} })).toBe('always closed');
  });

  test('shorten cuts at a word when one is near and marks the cut', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('one two three four', 16)).toBe('one two three…');
    expect(shorten('abcdefghijklmnop', 8)).toBe('abcdefg…');
  });
});

describe('layoutFlow (dagre)', () => {
  test('40 nodes: every box inside the drawing, none overlapping, every edge with points', () => {
    const graph = flowGraph(parseSettings(fortyNodeConfig(), 'forty').voice);
    expect(graph.nodes).toHaveLength(40);
    expect(graph.nodes.filter((n) => !n.reachable).map((n) => n.name)).toEqual(['orphan']);
    const layout = layoutFlow(graph);
    expect(overlapping(layout.nodes)).toEqual([]);
    for (const node of layout.nodes) {
      expect(node.x).toBeGreaterThanOrEqual(0);
      expect(node.y).toBeGreaterThanOrEqual(0);
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.height);
    }
    // The node nothing links to sits in a row below the rest, away from the start's edges.
    const orphan = layout.nodes.find((n) => n.name === 'orphan');
    const others = layout.nodes.filter((n) => n.name !== 'orphan');
    expect(orphan?.y).toBeGreaterThanOrEqual(Math.max(...others.map((n) => n.y + n.height)));
    expect(layout.edges).toHaveLength(graph.edges.length);
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
  });

  test('rank direction: the shortest layout that fits the width, else the narrowest', () => {
    const down = { rankdir: 'TB', width: 900, height: 1200 };
    const across = { rankdir: 'LR', width: 1100, height: 600 };
    expect(chooseLayout([down, across], 1160)).toBe(across);
    expect(chooseLayout([down, across], 1000)).toBe(down);
    expect(chooseLayout([down, across], 500)).toBe(down);
  });
});
