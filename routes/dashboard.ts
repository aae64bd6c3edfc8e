import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { ApiError } from '../src/api/errors';
import { withCursorCheck } from '../src/api/validate-history';
import type { AppDeps } from '../src/app';
import { requireApiKey, requireSession, safeNext, sameOrigin, sendHtml, sessionKind } from '../src/dashboard/auth';
import { readFilterForm, toHistoryFilter } from '../src/dashboard/filters';
import { BASE } from '../src/dashboard/layout';
import { callPage } from '../src/dashboard/pages/call';
import { flowNodeHref, flowPage } from '../src/dashboard/pages/flow';
import { flowNodePage } from '../src/dashboard/pages/flow-node';
import { callsPage, type ListView } from '../src/dashboard/pages/calls';
import { homeCharts, loadHomeCharts } from '../src/dashboard/charts/home-charts';
import { jobProgressFigure, progressUnit } from '../src/dashboard/charts/job-progress';
import { jobPage, jobsPage } from '../src/dashboard/pages/jobs';
import { loginPage } from '../src/dashboard/pages/login';
import { messagePage } from '../src/dashboard/pages/message';
import { messagesPage } from '../src/dashboard/pages/messages';
import { noticePage } from '../src/dashboard/pages/notice';
import { optOutsPage } from '../src/dashboard/pages/opt-outs';
import { voicemailsPage } from '../src/dashboard/pages/voicemails';
import { SESSION_COOKIE, SESSION_MS, SessionSigner } from '../src/dashboard/session';
import { DASHBOARD_CSS } from '../src/dashboard/style';
import { prettyXml } from '../src/dashboard/pretty-xml';
import { flowDiagram, type FlowDiagram } from '../src/flows/flow-diagram';
import { nodeSummary } from '../src/flows/flow-graph';
import { VoiceFlow } from '../src/flows/voice-flow';
import type { Settings, SettingsHolder } from '../src/settings';
import type { HistoryFilter, Page } from '../src/store';

/** No script at all; audio from Twilio's (https) recording URLs; forms only to ourselves. */
const CSP = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  'media-src https:',
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_SIZE = 50;
const JOBS_SHOWN = 20;
const OPT_OUTS_SHOWN = 200;

/** `GET /dashboard`: the owner's history pages, behind API_KEY (login form or HTTP Basic). */
export function dashboardRouter(deps: AppDeps & { settings: SettingsHolder }): Router {
  const { config, store, clock, settings } = deps;
  // Laying out the diagram takes tens of milliseconds: it is drawn on first view and again only
  // after SIGHUP has replaced the settings.
  let flow: { settings: Settings; voice: VoiceFlow; diagram: FlowDiagram | undefined } | undefined;
  const current = () => {
    if (flow?.settings !== settings.current) {
      flow = { settings: settings.current, voice: new VoiceFlow(settings.current.voice, config.publicBaseUrl), diagram: undefined };
    }
    return flow;
  };
  const drawn = () => {
    const now = current();
    return (now.diagram ??= flowDiagram(now.settings.voice, { standalone: false, nodeHref: flowNodeHref }));
  };
  const signer = config.apiKey ? new SessionSigner(config.apiKey) : undefined;
  const router = Router();
  const cookieSession = (res: Response) => sessionKind(res) === 'cookie';
  const secure = (req: Request) => req.secure || config.publicBaseUrl?.startsWith('https:') === true;

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  router.get('/style.css', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('css').send(DASHBOARD_CSS);
  });

  router.use(requireApiKey(signer));
  const keySigner = signer as SessionSigner;

  router.get('/login', (req, res) => sendHtml(res, 200, loginPage({ next: safeNext(req.query.next) })));
  router.post('/login', sameOrigin(config.publicBaseUrl), (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(form.next);
    if (typeof form.key !== 'string' || !keySigner.isApiKey(form.key)) {
      req.log.info('dashboard sign-in refused');
      sendHtml(res, 401, loginPage({ error: 'The API key was not accepted.', next }));
      return;
    }
    const now = clock.now();
    res.cookie(SESSION_COOKIE, keySigner.issue(now), {
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
      path: BASE,
      expires: new Date(now.getTime() + SESSION_MS),
    });
    res.redirect(303, next ?? BASE);
  });
  router.post('/logout', sameOrigin(config.publicBaseUrl), (req, res) => {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secure(req), path: BASE });
    res.redirect(303, `${BASE}/login`);
  });

  router.use(requireSession(keySigner, () => clock.now()));

  async function history<T>(req: Request, res: Response, read: (f: HistoryFilter) => Promise<Page<T>>, render: (v: ListView<T>) => string) {
    const form = readFilterForm(req.query);
    const cursor = typeof req.query.cursor === 'string' && req.query.cursor !== '' ? req.query.cursor : undefined;
    const view = { form, paging: cursor !== undefined, cookieSession: cookieSession(res) };
    try {
      const filter = { ...toHistoryFilter(form, cursor), limit: PAGE_SIZE };
      const page = await withCursorCheck(() => read(filter));
      sendHtml(res, 200, render({ ...view, page }));
    } catch (err) {
      // A refused filter or cursor is shown on the page, with the form to correct it.
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      sendHtml(res, 400, render({ ...view, error: err.message }));
    }
  }

  router.get('/', async (req, res) => {
    // The charts are the home page's: not repeated on filtered or later pages of the list.
    const charts = Object.keys(req.query).length === 0 ? homeCharts(await loadHomeCharts(store, clock.now())) : undefined;
    await history(req, res, (f) => store.listCalls(f), (view) => callsPage(view, charts));
  });
  router.get('/messages', (req, res) => history(req, res, (f) => store.listMessages(f), messagesPage));

  router.get('/calls/:sid', async (req, res) => {
    const sid = String(req.params.sid);
    const found = await store.getCallHistory(sid);
    if (found === undefined) return notFound(res, `No call ${sid} in the history.`);
    const voicemails = await store.listVoicemails({ limit: 20, callSid: sid });
    sendHtml(res, 200, callPage(found, voicemails, cookieSession(res)));
  });
  router.get('/messages/:sid', async (req, res) => {
    const sid = String(req.params.sid);
    const found = await store.getMessageHistory(sid);
    if (found === undefined) return notFound(res, `No message ${sid} in the history.`);
    sendHtml(res, 200, messagePage(found, cookieSession(res)));
  });

  router.get('/voicemails', async (req, res) => {
    const before = req.query.before;
    if (before !== undefined && (typeof before !== 'string' || !/^[1-9]\d{0,14}$/.test(before))) {
      sendHtml(res, 400, noticePage('Voicemails', 'Expected `before` to be the id the "Older" link gives.', { cookieSession: cookieSession(res) }));
      return;
    }
    // One extra row tells whether there is an older page.
    const rows = await store.listVoicemails({ limit: PAGE_SIZE + 1, ...(before !== undefined && { before: Number(before) }) });
    const shown = rows.slice(0, PAGE_SIZE);
    const next = rows.length > PAGE_SIZE ? (shown[shown.length - 1]?.id ?? null) : null;
    sendHtml(res, 200, voicemailsPage(shown, next, before !== undefined, cookieSession(res)));
  });

  router.get('/opt-outs', async (_req, res) => {
    sendHtml(res, 200, optOutsPage(await store.listOptedOut({ limit: OPT_OUTS_SHOWN }), OPT_OUTS_SHOWN, cookieSession(res)));
  });

  router.get('/jobs', async (_req, res) => {
    const jobs = await store.listBulkJobs({ limit: JOBS_SHOWN });
    const progress = [];
    for (const job of jobs) {
      const found = await store.getBulkJob(job.id);
      if (found) progress.push(found);
    }
    sendHtml(res, 200, jobsPage(progress, JOBS_SHOWN, cookieSession(res)));
  });
  router.get('/jobs/:id', async (req, res) => {
    const id = String(req.params.id);
    const job = await store.getBulkJob(id);
    if (job === undefined) return notFound(res, `No bulk job ${id}.`);
    // A running job's span reaches to now; a completed one's to its last update.
    const unit = progressUnit(job.createdAt, job.state === 'running' ? clock.now().toISOString() : job.updatedAt);
    sendHtml(res, 200, jobPage(job, cookieSession(res), jobProgressFigure(job, await store.jobProgress(job.id, unit), unit)));
  });

  router.get('/flow', (_req, res) => {
    const { graph, svg } = drawn();
    sendHtml(res, 200, flowPage(graph, svg, cookieSession(res)));
  });
  router.get('/flow/nodes/:name', (req, res) => {
    const name = String(req.params.name);
    const { graph } = drawn();
    const { settings: shown, voice } = current();
    const node = graph.nodes.find((n) => n.name === name);
    const config = shown.voice.nodes[name];
    if (node === undefined || config === undefined) return notFound(res, `No node ${name} in the voice flow.`);
    const at = clock.now();
    sendHtml(res, 200, flowNodePage({ node, fullSummary: nodeSummary(config), graph, twiml: prettyXml(voice.step(name, at)), at: at.toISOString(), cookieSession: cookieSession(res) }));
  });

  router.use((req, res) => notFound(res, `No page at ${req.originalUrl.split('?')[0]}.`));
  router.use(dashboardErrorHandler);
  return router;
}

function notFound(res: Response, message: string): void {
  sendHtml(res, 404, noticePage('Not found', message, { cookieSession: sessionKind(res) === 'cookie' }));
}

const dashboardErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  req.log.error({ err }, 'dashboard error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendHtml(res, 500, noticePage('Something went wrong', `The page could not be shown (request ${String(req.id)}); the server log has the details.`));
};
