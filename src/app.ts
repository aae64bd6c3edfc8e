import express, { type Express, type RequestHandler } from 'express';
import { defaultPhoneAssetsDir } from './client/assets';
import type { Clock } from './clock';
import type { ClusterScrape } from './cluster/metrics-worker';
import type { Config } from './config';
import { BODY_LIMIT, BODY_LIMIT_BYTES, jsonErrorHandler, notFound, PARAMETER_LIMIT } from './http/errors';
import { requestLogger } from './http/request-log';
import { twilioBody } from './http/twilio-body';
import { dispatchWebhooksDirectly } from './http/webhook-dispatch';
import type { Logger } from './logger';
import { requestMetrics, type Metrics } from './metrics';
import { parseSettings, SettingsHolder, type Settings } from './settings';
import { createSmtpMailer, type Mailer } from './mail';
import type { Outbox } from './outbox';
import { apiKeyMatcher, apiRateLimit, bearerAuth, captureRawBody, twilioWebhookAuth } from './security';
import type { Store } from './store';
import type { TwilioClient } from './twilio';
import { apiRouter } from '../routes/api';
import { clientTokenRouter, clientVoiceRoute } from '../routes/client';
import { dashboardRouter } from '../routes/dashboard';
import { healthRouter } from '../routes/health';
import { metricsRouter } from '../routes/metrics';
import { phoneRouter } from '../routes/phone';
import { smsRoutes } from '../routes/sms';
import { twimletsRouter } from '../routes/twimlets';
import { statusRoutes } from '../routes/status';
import { voiceRoutes } from '../routes/voice';

export interface AppDeps {
  config: Config;
  store: Store;
  /** Undefined when the Twilio credentials are not configured; the API then answers 503. */
  twilio: TwilioClient | undefined;
  clock: Clock;
  logger: Logger;
  /** The config file's flows and replies; built-in defaults when absent. A holder can be swapped (SIGHUP). */
  settings?: Settings | SettingsHolder;
  /** Outgoing mail; built from SMTP_URL when not given. */
  mailer?: Mailer;
  /** The outbound API's outbox; without it (or without Twilio) the sending routes answer 503. */
  outbox?: Outbox;
  /** This process's counters; without them (METRICS_ENABLED=false) nothing is counted and there is no /metrics. */
  metrics?: Metrics;
  /** In a cluster worker: /metrics answers with every worker's metrics, merged by the primary. */
  clusterScrape?: ClusterScrape;
}


/** Builds the Express app. No I/O and no global state: tests build as many as they like. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Nothing here is cacheable, and an ETag costs a hash of every response body.
  app.set('etag', false);
  app.set('trust proxy', deps.config.trustProxy);
  // Query strings are parsed flat, as Twilio sends them: `a[b]=1` stays a key, never an object.
  app.set('query parser', 'simple');

  const hsts = deps.config.publicBaseUrl?.startsWith('https:') === true;
  const { metrics } = deps;
  // The webhooks' paths, filled below as they are registered, and the twimlets' mount.
  const webhookPaths = new Set<string>();
  const twilioFacingRoute = (label: string) => webhookPaths.has(label) || label === '/twimlets' || label.startsWith('/twimlets/');
  const logRequest = requestLogger(deps.logger, metrics && requestMetrics(metrics, twilioFacingRoute));
  metrics?.readStoreFrom(deps.store);
  // One middleware for both: every request passes here, and each layer passed has a cost.
  const front: RequestHandler = (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // Only an https deployment may pin browsers to https; on plain http it would lock them out.
    if (hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    logRequest(req, res, next);
  };
  app.use(front);
  const { config } = deps;
  // Everything Twilio calls is signed with the auth token; nothing else may reach those routes.
  const fromTwilio = twilioWebhookAuth({
    authToken: config.twilio.authToken,
    publicBaseUrl: config.publicBaseUrl,
    trustProxy: config.trustProxy,
    // Off when asked, and in development without a token (config has already warned about it).
    enabled: config.webhookValidation && config.twilio.authToken !== undefined,
    logger: deps.logger,
    ...(metrics && { onReject: metrics.signatureFailure }),
  });
  const webhookBody = twilioBody({ limit: BODY_LIMIT_BYTES, parameterLimit: PARAMETER_LIMIT });
  // The body is read, its signature checked, then the handler runs, all in one layer: Express
  // matches the path once per layer, and these are the routes every call and message hits.
  // Every webhook and twimlet passes here, whether dispatched directly or through Express: the one
  // place to count them (a metric's increment belongs at the top of the innermost function).
  const twilioFacing =
    (handler: RequestHandler): RequestHandler =>
    (req, res, next) =>
      webhookBody(req, res, (err?: unknown) => {
        if (err !== undefined) return next(err);
        fromTwilio(req, res, (denied?: unknown) => (denied === undefined ? handler(req, res, next) : next(denied)));
      });

  const settings =
    deps.settings instanceof SettingsHolder ? deps.settings : new SettingsHolder(deps.settings ?? parseSettings({}, 'built-in defaults'));
  // Twilio's webhooks first: they are the traffic, and each layer passed costs every request.
  const webhooks = [
    ...voiceRoutes({ ...deps, settings }),
    clientVoiceRoute(deps),
    ...smsRoutes({ ...deps, settings }),
    ...statusRoutes(deps),
  ];
  const webhookRoutes = webhooks.map(({ path, handler }) => ({ path, handler: twilioFacing(handler) }));
  // Right after `front`, with nothing between: the direct dispatch below runs exactly these two.
  for (const { path, handler } of webhookRoutes) {
    webhookPaths.add(path);
    app.all(path, handler);
  }
  const mailer = deps.mailer ?? (config.smtp && createSmtpMailer(config.smtp.url, config.smtp.from));
  // The twimlets keep a router of their own: their links are relative to where it is mounted.
  app.use('/twimlets', twilioFacing(twimletsRouter({ ...deps, mailer }, () => settings.current.twimlets)));

  // One limiter for everything the API key guards, so the two routes share a key's budget.
  const keyLimit = apiRateLimit({
    perMinute: config.apiRateLimit,
    clock: deps.clock,
    isApiKey: apiKeyMatcher(config.apiKey),
    // Several instances on one database must share one budget per key, so it is counted there.
    shared: deps.store.sharedCounters,
  });
  // Before the shared body parsers: the API reads its own bodies, after checking the key.
  app.use('/api', keyLimit, apiRouter(deps));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: PARAMETER_LIMIT }));
  app.use(express.json({ limit: BODY_LIMIT, verify: captureRawBody }));
  app.use(healthRouter(deps));
  app.use('/client/token', keyLimit, bearerAuth({ apiKey: config.apiKey }), clientTokenRouter(deps));
  app.use('/phone', phoneRouter({ assetsDir: defaultPhoneAssetsDir() }));
  app.use('/dashboard', dashboardRouter({ ...deps, settings }));
  if (metrics) app.use(metricsRouter({ config, metrics, rateLimit: keyLimit, ...(deps.clusterScrape && { clusterScrape: deps.clusterScrape }) }));

  const onError = jsonErrorHandler(BODY_LIMIT);
  app.use(notFound);
  app.use(onError);
  // The webhooks' exact paths skip Express's router (see webhook-dispatch.ts), after `front`.
  dispatchWebhooksDirectly(app, { routes: webhookRoutes, front, notFound, onError });
  return app;
}
