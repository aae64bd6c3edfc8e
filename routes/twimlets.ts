import type { TLSSocket } from 'node:tls';
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../src/app';
import { recordInboundCall } from '../src/http/record-inbound';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import type { Mailer } from '../src/mail';
import { webhookUrl } from '../src/security';
import {
  callmeTwimlet,
  conferenceTwimlet,
  echoTwimlet,
  findmeTwimlet,
  forwardTwimlet,
  holdmusicTwimlet,
  menuTwimlet,
  messageTwimlet,
  PhpParams,
  simulringTwimlet,
  voicemailTwimlet,
  whisperTwimlet,
  type TwimletRequest,
  type TwimletResult,
  type TwimletsSettings,
} from '../src/twimlets';

export type TwimletsDeps = Pick<AppDeps, 'config' | 'store' | 'logger'> & { mailer: Mailer | undefined };

type Twimlet = (twimlet: TwimletRequest, req: Request) => TwimletResult | Promise<TwimletResult>;

/** The twimlets.com apps, each at `/<name>` for GET and POST; the logic lives in src/twimlets. */
/** `settingsNow` is read per request: a reloaded config file applies from the next one on. */
export function twimletsRouter(deps: TwimletsDeps, settingsNow: () => TwimletsSettings): Router {
  const { config, store, logger } = deps;
  const router = Router();
  const absolute = (req: Request, path: string) =>
    webhookUrl({
      publicBaseUrl: config.publicBaseUrl,
      trustProxy: config.trustProxy,
      originalUrl: req.baseUrl + path,
      headers: req.headers,
      encrypted: (req.socket as Partial<TLSSocket>).encrypted === true,
    }) ?? req.baseUrl + path;

  const apps: Record<string, Twimlet> = {
    message: messageTwimlet,
    forward: forwardTwimlet,
    simulring: simulringTwimlet,
    findme: findmeTwimlet,
    callme: callmeTwimlet,
    whisper: whisperTwimlet,
    menu: menuTwimlet,
    conference: (t, req) => conferenceTwimlet(t, { settings: settingsNow(), holdMusicUrl: absolute(req, '/holdmusic') }),
    holdmusic: (t, req) =>
      holdmusicTwimlet(t, {
        settings: settingsNow(),
        endpoint: config.twimlets.holdMusicEndpoint,
        warn: (reason) => req.log.warn({ reason }, 'hold music unavailable'),
      }),
    voicemail: (t, req) => voicemailTwimlet(t, { store, mailer: deps.mailer, logger: req.log ?? logger, selfUrl: absolute(req, '/voicemail') }),
  };

  for (const [name, app] of Object.entries(apps)) {
    const handler = async (req: Request, res: Response) => {
      await recordInboundCall(store, req);
      sendResult(res, await app(twimletRequest(req, name), req));
    };
    router.route(`/${name}`).get(handler).post(handler);
  }

  const echo = async (req: Request, res: Response) => {
    if (!config.twimlets.echo) {
      res.status(404).type('text/plain').send('the echo twimlet is disabled (set TWIMLETS_ECHO=true to enable it)');
      return;
    }
    await recordInboundCall(store, req);
    // Verbatim, like the original: no declaration added, nothing re-serialized.
    res.type('text/xml').send(echoTwimlet(twimletRequest(req, 'echo')));
  };
  router.route('/echo').get(echo).post(echo);

  router.use(twimlErrorHandler('voice'));
  return router;
}

/** Splits the request as PHP did: `$_GET` from the raw query (order kept), `$_REQUEST` adds the POST form. */
function twimletRequest(req: Request, name: string): TwimletRequest {
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
  const get = PhpParams.fromPairs(new URLSearchParams(query));
  const body: Array<[string, string]> = [];
  if (req.method === 'POST' && typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body)) {
    for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') body.push([key, item]);
    }
  }
  return { get, request: PhpParams.merge(get, PhpParams.fromPairs(body)), self: `${req.baseUrl}/${name}` };
}

function sendResult(res: Response, result: TwimletResult): void {
  switch (result.kind) {
    case 'twiml':
      sendTwiml(res, result.xml);
      return;
    case 'redirect':
      // A plain 302 without a body, as PHP's header('Location: ...') sent; non-ASCII is percent-encoded for the header.
      res.status(302).setHeader('Location', result.location.replace(/[^\x21-\x7e]+/g, encodeURI));
      res.end();
      return;
    case 'empty':
      res.status(200).end();
  }
}
