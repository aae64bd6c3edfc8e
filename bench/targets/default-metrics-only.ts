// The real server, started with METRICS_ENABLED=false, but with prom-client's default metrics
// collecting in its process as createMetrics turns them on (src/metrics/registry.ts): process
// and heap gauges read when scraped, an event-loop delay monitor, and a GC observer, which Node
// feeds an entry after every collection. Beside the server with metrics off it shows what those
// cost a webhook, apart from Switchboard's own counting. Bench only.
import { collectDefaultMetrics, Registry } from 'prom-client';

collectDefaultMetrics({ register: new Registry() });
// The server starts when its module loads, after the default metrics, as with metrics on.
require('../../src/server');
