import type { BulkJobProgress, ChartUnit, JobProgressCount } from '../../store';
import { html, type SafeHtml } from '../html';
import { chartFigure } from './figure';
import { stepChartSvg } from './line-chart';
import { formatCount } from './scale';

const UNIT_MS: Record<ChartUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Minutes for a job of up to 3 hours, hours up to a week, then days: a few hundred points at most. */
export function progressUnit(createdAt: string, lastUpdate: string): ChartUnit {
  const span = Date.parse(lastUpdate) - Date.parse(createdAt);
  return span <= 3 * UNIT_MS.hour ? 'minute' : span <= 7 * UNIT_MS.day ? 'hour' : 'day';
}

export interface ProgressRow {
  bucket: string;
  sent: number;
  failed: number;
  unknown: number;
  /** Recipients finished by the end of this bucket. */
  done: number;
}

/** Per bucket, oldest first, with the running total. */
export function progressRows(counts: readonly JobProgressCount[]): ProgressRow[] {
  const rows: ProgressRow[] = [];
  let done = 0;
  for (const count of counts) {
    let row = rows[rows.length - 1];
    if (row?.bucket !== count.bucket) {
      row = { bucket: count.bucket, sent: 0, failed: 0, unknown: 0, done };
      rows.push(row);
    }
    row[count.state] += count.count;
    row.done += count.count;
    done = row.done;
  }
  return rows;
}

/** Start of a bucket (`2026-01-02T03:04`, `2026-01-02T03`, `2026-01-02`) in ms. */
function bucketStart(bucket: string): number {
  return Date.parse(`${bucket}${'0000-00-00T00:00:00'.slice(bucket.length)}Z`);
}

function bucketLabel(bucket: string, unit: ChartUnit): string {
  return unit === 'day' ? bucket : `${bucket.slice(0, 10)} ${bucket.slice(11)}${unit === 'hour' ? ':00' : ''}`;
}

/** The job's finished recipients over time, from its creation; the table lists every bucket. */
export function jobProgressFigure(job: BulkJobProgress, counts: readonly JobProgressCount[], unit: ChartUnit): SafeHtml {
  const rows = progressRows(counts);
  const id = 'job-progress';
  const title = `Recipients finished over time (per ${unit}, UTC)`;
  if (rows.length === 0) return html`<h2>Progress over time</h2><p>No recipient has finished yet.</p>`;
  const last = rows[rows.length - 1] as ProgressRow;
  const points = [{ at: Date.parse(job.createdAt), value: 0 }, ...rows.map((r) => ({ at: bucketStart(r.bucket) + UNIT_MS[unit], value: r.done }))];
  const svg = stepChartSvg({
    id,
    title,
    description: `${formatCount(last.done)} of ${formatCount(job.total)} recipients finished by ${bucketLabel(last.bucket, unit)} UTC.`,
    points,
    target: job.total,
    targetLabel: `total (${formatCount(job.total)})`,
    startLabel: bucketLabel(job.createdAt.slice(0, 16), 'minute'),
    endLabel: bucketLabel(rows[rows.length - 1]?.bucket ?? '', unit),
    seriesName: 'finished',
  });
  return html`<h2>Progress over time</h2>
${chartFigure(id, title, svg, {
  headers: [`${unit[0]?.toUpperCase()}${unit.slice(1)} (UTC)`, 'Sent', 'Failed', 'Unknown', 'Finished so far'],
  rows: rows.map((r) => [bucketLabel(r.bucket, unit), formatCount(r.sent), formatCount(r.failed), formatCount(r.unknown), formatCount(r.done)]),
})}`;
}
