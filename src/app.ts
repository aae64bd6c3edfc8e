import express, { type Express, type RequestHandler } from 'express';
import { defaultPhoneAssetsDir } from './client/assets';
import type { Clock } from './clock';
import type { Config } from './config';
import { BODY_LIMIT, BODY_LIMIT_BYTES, jsonErrorHandler, notFound, PARAMETER_LIMIT } from './http/errors';
import { requestLogger } from './http/request-log';
import { twilioBody } from './http/twilio-body';
import type { Logger } from './logger';
import { parseSettings, type Settings } from './settings';
import { createSmtpMailer, type Mailer } from './mail';
import type { Outbox } from './outbox';
import { apiKeyMatcher, apiRateLimit, bearerAuth, captureRawBody, twilioWebhookAuth } from './security';
import type { Store } from './store';
import type { TwilioClient } from './twilio';
import { apiRouter } from '../routes/api';
import { clientTokenRouter, clientVoiceRoute } from '../routes/client';
import { dashboardRouter } from '../routes/dashboard';
import { healthRouter } from '../routes/health';
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
  /** The config file's flows and replies; built-in defaults when absent. */
  settings?: Settings;
  /** Outgoing mail; built from SMTP_URL when not given. */
  mailer?: Mailer;
  /** The outbound API's outbox; without it (or without Twilio) the sending routes answer 503. */
  outbox?: Outbox;
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
  const logRequest = requestLogger(deps.logger);
  // One middleware for both: every request passes here, and each layer passed has a cost.
  app.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // Only an https deployment may pin browsers to https; on plain http it would lock them out.
    if (hsts) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    logRequest(req, res, next);
  });
  const { config } = deps;
  // Everything Twilio calls is signed with the auth token; nothing else may reach those routes.
  const fromTwilio = twilioWebhookAuth({
    authToken: config.twilio.authToken,
    publicBaseUrl: config.publicBaseUrl,
    trustProxy: config.trustProxy,
    // Off when asked, and in development without a token (config has already warned about it).
    enabled: config.webhookValidation && config.twilio.authToken !== undefined,
    logger: deps.logger,
  });
  const webhookBody = twilioBody({ limit: BODY_LIMIT_BYTES, parameterLimit: PARAMETER_LIMIT });
  // The body is read, its signature checked, then the handler runs, all in one layer: Express
  // matches the path once per layer, and these are the routes every call and message hits.
  const twilioFacing =
    (handler: RequestHandler): RequestHandler =>
    (req, res, next) =>
      webhookBody(req, res, (err?: unknown) => {
        if (err !== undefined) return next(err);
        fromTwilio(req, res, (denied?: unknown) => (denied === undefined ? handler(req, res, next) : next(denied)));
      });

  const settings = deps.settings ?? parseSettings({}, 'built-in defaults');
  // Twilio's webhooks first: they are the traffic, and each layer passed costs every request.
  const webhooks = [
    ...voiceRoutes({ ...deps, settings }),
    clientVoiceRoute(deps),
    ...smsRoutes({ ...deps, settings }),
    ...statusRoutes(deps),
  ];
  for (const { path, handler } of webhooks) app.all(path, twilioFacing(handler));
  const mailer = deps.mailer ?? (config.smtp && createSmtpMailer(config.smtp.url, config.smtp.from));
  // The twimlets keep a router of their own: their links are relative to where it is mounted.
  app.use('/twimlets', twilioFacing(twimletsRouter({ ...deps, mailer }, settings.twimlets)));

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
  app.use('/dashboard', dashboardRouter(deps));

  app.use(notFound);
  app.use(jsonErrorHandler(BODY_LIMIT));
  return app;
}
