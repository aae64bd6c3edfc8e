// `npm run bench:flow`: how long drawing the voice flow takes (graph, two dagre layouts, SVG), for
// the example config and the 40-node flow of the browser test. The dashboard draws it once per
// server process, on the first view of /dashboard/flow; the CLI once per run.
import path from 'node:path';
import { flowDiagram } from '../src/flows/flow-diagram';
import { loadSettingsFile, parseSettings, type Settings } from '../src/settings';
import { fortyNodeConfig } from '../test/support/flow-config';

const RUNS = 7;

function time(voice: Settings['voice']): number {
  const start = process.hrtime.bigint();
  flowDiagram(voice, { standalone: false });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const flows: Array<[string, Settings['voice']]> = [
  ['switchboard.config.example.json (9 nodes)', loadSettingsFile(path.resolve(__dirname, '../../switchboard.config.example.json'), true).voice],
  ['generated flow (40 nodes, 70 edges)', parseSettings(fortyNodeConfig(), 'forty nodes').voice],
];
const lines = ['| flow | first drawing ms | median of the next 7 ms |', '|---|---:|---:|'];
for (const [label, voice] of flows) {
  const first = time(voice);
  const rest = Array.from({ length: RUNS }, () => time(voice)).sort((a, b) => a - b);
  lines.push(`| ${label} | ${first.toFixed(0)} | ${(rest[Math.floor(RUNS / 2)] as number).toFixed(0)} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
