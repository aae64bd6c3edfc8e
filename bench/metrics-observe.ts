// What counting costs a webhook inside the process, measured where a busy machine cannot reach it
// much: the real observer (requestMetrics over createMetrics, as app.ts wires it) called a fixed
// number of times in a loop, beside the same loop calling an observer that does nothing. The
// servers' CPU per request moves by a few per cent from round to round with the machine's load;
// a loop of a million calls in one process does not.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Request, Response } from 'express';
import type { RequestObserver } from '../src/http/request-log';
import { createMetrics, requestMetrics } from '../src/metrics';
import { median } from './stats';

export interface ObserveCost {
  /** ns per call of the real observer: duration histogram, route lookup, outcome counter. */
  observeNs: number;
  /** ns per call of the same loop with an observer that does nothing (the loop's own cost). */
  observeBaselineNs: number;
  /** ns per group commit of timing it: two clock reads and the commit histogram. */
  commitNs: number;
  /** ns per turn of the same loop without them. */
  commitBaselineNs: number;
  /** Calls per loop and loops per figure (the figures are medians of the loops). */
  iterations: number;
  batches: number;
}

/** Latencies a webhook takes under the bench's loads (ms), so the bucket search goes as deep as it does there. */
const ELAPSED_MS = [0.9, 1.8, 2.6, 4.1, 7.5, 1.2, 3.3, 11];
/** Distinct requests in turn, as a server sees distinct objects, not one kept hot in the cache. */
const REQUESTS = 256;

/**
 * A request to `path` as the webhook dispatch leaves it when its response has closed: the route it
 * ran (one frozen object per route, as in webhook-dispatch.ts), answered 200 and flushed.
 */
function finishedRequests(path: string): Array<[Request, Response]> {
  const route = Object.freeze({ path });
  return Array.from({ length: REQUESTS }, () => {
    const req = new IncomingMessage(new Socket()) as Request;
    req.route = route;
    req.baseUrl = '';
    const res = new ServerResponse(req) as Response;
    res.statusCode = 200;
    // What end() leaves once the response is out; no socket is ever written.
    res.finished = true;
    return [req, res];
  });
}

/** ns per call of `observe` over `requests`, `iterations` calls. */
function observeLoop(observe: RequestObserver, requests: ReadonlyArray<[Request, Response]>, iterations: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const [req, res] = requests[i % REQUESTS] as [Request, Response];
    observe(req, res, ELAPSED_MS[i & 7] as number);
  }
  return Number(process.hrtime.bigint() - started) / iterations;
}

/** ns per turn of GroupCommit.flush's timing (src/store/group-commit.ts), or of the bare loop. */
function commitLoop(onCommit: ((seconds: number) => void) | undefined, iterations: number): number {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    // The group commit's two lines around its transaction, with no transaction between them.
    const at = onCommit && performance.now();
    if (at !== undefined) onCommit?.((performance.now() - at) / 1000);
    else sink += i;
  }
  const ns = Number(process.hrtime.bigint() - started) / iterations;
  // Read, so that the bare loop's body is not dropped as dead code.
  return sink < 0 ? -1 : ns;
}

/**
 * Calls the real observer on requests to `path` (a Twilio-facing route, so both its duration and
 * its outcome are counted) `iterations` times per loop, `batches` loops taking turns with the
 * do-nothing observer, and the commit timing likewise; medians of the loops. Checks that every
 * call was counted, so that the loop measured the path a webhook takes and not a shortcut.
 */
export async function observeCost(path = '/voice', iterations = 1_000_000, batches = 9): Promise<ObserveCost> {
  const metrics = createMetrics({ defaultMetrics: false });
  const observe = requestMetrics(metrics, (label) => label === path);
  const nothing: RequestObserver = () => {};
  const requests = finishedRequests(path);
  const observed: number[] = [];
  const bare: number[] = [];
  const commits: number[] = [];
  const bareCommits: number[] = [];
  // The first pair warms the JIT up and is not kept.
  for (let batch = 0; batch <= batches; batch++) {
    const o = observeLoop(observe, requests, iterations);
    const b = observeLoop(nothing, requests, iterations);
    const c = commitLoop(metrics.observeCommit, iterations);
    const cb = commitLoop(undefined, iterations);
    if (batch === 0) continue;
    observed.push(o);
    bare.push(b);
    commits.push(c);
    bareCommits.push(cb);
  }
  const calls = (batches + 1) * iterations;
  const text = await metrics.registry.metrics();
  const counted = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
  const okLine = new RegExp(`^switchboard_webhooks_total\\{route="${path}",outcome="ok"\\} (\\d+)$`, 'm');
  if (counted(okLine) !== calls) throw new Error(`the observer counted ${counted(okLine)} webhooks of ${calls}`);
  if (counted(/^switchboard_db_commit_duration_seconds_count (\d+)$/m) !== calls) throw new Error('the commit timing was not counted');
  return {
    observeNs: median(observed),
    observeBaselineNs: median(bare),
    commitNs: median(commits),
    commitBaselineNs: median(bareCommits),
    iterations,
    batches,
  };
}
