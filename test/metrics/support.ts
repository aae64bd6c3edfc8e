import request from 'supertest';
import type { Express } from 'express';

export const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The scrape, as Prometheus would take it. */
export async function scrape(app: Express, token = METRICS_TOKEN): Promise<string> {
  const res = await request(app).get('/metrics').set('Authorization', `Bearer ${token}`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${res.text}`);
  return res.text;
}

/** The lines holding samples (not # HELP / # TYPE): one per series and bucket. */
export function sampleLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** The lines of one metric family whose labels include all of `labels`, e.g. `route="/voice"`. */
export function linesOf(text: string, name: string, ...labels: string[]): string[] {
  return sampleLines(text).filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && labels.every((l) => line.includes(l)));
}
