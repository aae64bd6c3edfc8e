// The operations bench (issue #16): what /metrics costs a webhook (bench/metrics-cost.ts), and
// what history retention costs the webhooks' latency while it deletes a million rows
// (bench/retention.ts). Part of `npm run bench`; alone: `npm run bench:ops`. Every load is
// bounded (a request count, or a time limit) and stops by itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METRICS_COST_NEW_CALLS, metricsCost } from './metrics-cost';
import { retentionCost } from './retention';
import { uniqueRequests, webhookBenchEnv } from './webhook-fixtures';

/** Both parts, or one: `node dist/bench/ops.js metrics` or `… retention`. */
export async function measureOps(
  dir: string,
  parts: ReadonlyArray<'metrics' | 'retention'> = ['metrics', 'retention'],
  progress: (line: string) => void = () => {},
): Promise<string[]> {
  // Enough for every round of the metrics bench without a call repeating on a server.
  const pool = uniqueRequests('voice', Math.max(160_000, METRICS_COST_NEW_CALLS));
  const lines: string[] = [];
  if (parts.includes('metrics')) lines.push('### /metrics cost', '', ...(await metricsCost(dir, pool, progress)), '');
  if (parts.includes('retention')) lines.push('### History retention', '', ...(await retentionCost(dir, pool, (extra) => webhookBenchEnv(dir, extra))));
  return lines;
}

if (require.main === module) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-ops-'));
  const only = process.argv[2];
  measureOps(dir, only === 'metrics' || only === 'retention' ? [only] : undefined, (line) => console.error(line))
    .then((lines) => console.log(lines.join('\n')))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}
