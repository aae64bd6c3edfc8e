import { html, type SafeHtml } from '../html';
import { BASE, layout } from '../layout';
import type { BulkJobProgress } from '../../store';
import { time } from '../view';

function done(job: BulkJobProgress): number {
  const { sent, failed, unknown, notSent, skippedOptedOut } = job.counts;
  return sent + failed + unknown + notSent + skippedOptedOut;
}

function progress(job: BulkJobProgress) {
  return html`<progress max="${job.total}" value="${done(job)}" aria-label="Job ${job.id}: ${done(job)} of ${job.total} done"></progress> ${done(job)} / ${job.total}`;
}

export function jobsPage(jobs: readonly BulkJobProgress[], limit: number, cookieSession: boolean): string {
  const body = html`<table>
<caption>${jobs.length === 0 ? 'No bulk jobs yet.' : `The ${jobs.length === limit ? `latest ${limit}` : jobs.length} bulk jobs, newest first.`}</caption>
<thead><tr><th scope="col">Job</th><th scope="col">Created</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Sent</th><th scope="col">Failed</th><th scope="col">Unknown</th><th scope="col">Queued</th><th scope="col">Skipped (opted out)</th></tr></thead>
<tbody>
${jobs.map(
  (j) =>
    html`<tr><th scope="row"><a href="${BASE}/jobs/${encodeURIComponent(j.id)}">${j.id}</a></th><td>${time(j.createdAt)}</td><td>${j.state}</td><td>${progress(j)}</td><td class="num">${j.counts.sent}</td><td class="num">${j.counts.failed}</td><td class="num">${j.counts.unknown}</td><td class="num">${j.counts.queued + j.counts.inFlight}</td><td class="num">${j.counts.skippedOptedOut}</td></tr>\n`,
)}</tbody>
</table>`;
  return layout({ title: 'Bulk jobs', section: 'jobs', cookieSession }, body);
}

/** `progressChart`: the recipients finished over time (charts/job-progress.ts). */
export function jobPage(job: BulkJobProgress, cookieSession: boolean, progressChart?: SafeHtml): string {
  const c = job.counts;
  const body = html`<p><a href="${BASE}/jobs">← All bulk jobs</a></p>
<dl class="fields">
<dt>Job</dt><dd>${job.id}</dd>
<dt>State</dt><dd>${job.state}</dd>
<dt>Created</dt><dd>${time(job.createdAt)}</dd>
<dt>Last update</dt><dd>${time(job.updatedAt)}</dd>
<dt>Progress</dt><dd>${progress(job)}</dd>
<dt>Sent</dt><dd>${c.sent}</dd>
<dt>Failed</dt><dd>${c.failed}</dd>
<dt>Unknown outcome</dt><dd>${c.unknown}</dd>
<dt>Not sent (looked up at Twilio, not found)</dt><dd>${c.notSent}</dd>
<dt>Queued or sending</dt><dd>${c.queued + c.inFlight}</dd>
<dt>Skipped (opted out)</dt><dd>${c.skippedOptedOut}</dd>
</dl>
${progressChart}
<h2>Failures</h2>
${
  job.failures.length === 0
    ? html`<p>None.</p>`
    : html`<table><caption>${job.failures.length} recipients that failed, whose outcome is unknown, or that were not sent, in submission order.</caption>
<thead><tr><th scope="col">To</th><th scope="col">State</th><th scope="col">HTTP status</th><th scope="col">Twilio code</th><th scope="col">Reason</th></tr></thead>
<tbody>${job.failures.map(
        (f) => html`<tr><th scope="row">${f.to}</th><td>${f.state}</td><td>${f.errorStatus ?? ''}</td><td>${f.errorCode ?? ''}</td><td>${f.errorMessage ?? ''}</td></tr>\n`,
      )}</tbody></table>`
}`;
  return layout({ title: `Bulk job ${job.id}`, section: 'jobs', cookieSession }, body);
}
