import { Router, type Request } from 'express';
import type { AppDeps } from '../src/app';
import { dialPolicy, type DialTarget } from '../src/client/dial-policy';
import { isClientIdentity } from '../src/client/identity';
import { buildVoiceToken } from '../src/client/token';
import { HttpError, sendJsonError } from '../src/http/errors';
import { markExpectedFailure } from '../src/http/request-log';
import { twilioParams } from '../src/http/twilio-params';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { webhookRoute, type WebhookHandler, type WebhookRoute } from '../src/http/webhook-route';
import { VoiceResponse } from '../src/twiml';

type TokenDeps = Pick<AppDeps, 'config' | 'clock'>;

const MIN_TTL = 60;
const TOKEN_FIELDS = new Set(['identity', 'incoming', 'ttl']);

/**
 * `POST /client/token`: a Voice access token for one browser identity. Mounted behind the API
 * key; the token itself is never logged.
 */
export function clientTokenRouter({ config, clock }: TokenDeps): Router {
  const router = Router();
  const { accountSid, apiKeySid, apiKeySecret } = config.twilio;
  const { twimlAppSid, tokenTtlSeconds } = config.client;
  const missing = [
    accountSid === undefined && 'TWILIO_ACCOUNT_SID',
    apiKeySid === undefined && 'TWILIO_API_KEY_SID',
    apiKeySecret === undefined && 'TWILIO_API_KEY_SECRET',
    twimlAppSid === undefined && 'TWILIO_TWIML_APP_SID',
  ].filter((name): name is string => name !== false);

  router.post('/', (req, res) => {
    if (missing.length > 0 || !accountSid || !apiKeySid || !apiKeySecret || !twimlAppSid) {
      markExpectedFailure(res);
      return sendJsonError(res, 503, `browser calling is not configured: set ${missing.join(', ')}`);
    }
    const { identity, incoming, ttl } = tokenRequest(req, tokenTtlSeconds);
    const { token, expiresAt } = buildVoiceToken({
      accountSid,
      apiKeySid,
      apiKeySecret,
      identity,
      outgoingApplicationSid: twimlAppSid,
      incomingAllow: incoming,
      ttlSeconds: ttl,
      now: clock.now(),
    });
    req.log.info({ identity, incoming, ttl }, 'client token issued');
    res.json({ identity, token, ttl, expiresAt: expiresAt.toISOString() });
  });
  return router;
}

function tokenRequest(req: Request, maxTtl: number): { identity: string; incoming: boolean; ttl: number } {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'send a JSON object such as {"identity": "alice"}');
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !TOKEN_FIELDS.has(key));
  if (unknown !== undefined) throw new HttpError(400, `unknown field "${unknown}"`, unknown);
  const { identity, incoming = true, ttl = maxTtl } = fields;
  if (!isClientIdentity(identity)) {
    throw new HttpError(400, 'identity must be 1 to 121 letters, digits or _ . @ - (no spaces)', 'identity');
  }
  if (typeof incoming !== 'boolean') throw new HttpError(400, 'incoming must be true or false', 'incoming');
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < MIN_TTL || ttl > maxTtl) {
    throw new HttpError(400, `ttl must be a whole number of seconds from ${MIN_TTL} to ${maxTtl}`, 'ttl');
  }
  return { identity, incoming, ttl };
}

type Decision = DialTarget | { kind: 'refused'; reason: 'not-from-client' };
type Refusal = Extract<Decision, { kind: 'refused' }>['reason'];

const REFUSALS: Record<Refusal, string> = {
  missing: 'No number was dialled. Goodbye.',
  malformed: 'Sorry, that is not a number this phone can call. Goodbye.',
  'not-allowed': 'Sorry, calls to that number are not allowed from this phone. Goodbye.',
  'no-caller-id': 'Sorry, calls to phone numbers are not set up on this server. Goodbye.',
  'not-from-client': 'Sorry, this line only takes calls from the Switchboard softphone. Goodbye.',
};

/**
 * `/voice/client`: the Voice URL of the TwiML App. Twilio asks it what to do with each call a
 * browser places; `To` is what the user dialled. Registered behind the webhook signature check.
 */
export function clientVoiceRoute({ config }: Pick<AppDeps, 'config'>): WebhookRoute {
  const callerId = config.twilio.fromNumber;
  const decide = dialPolicy({ pattern: config.client.dialPattern, callerId });
  const refusals = renderRefusals();

  const dial: WebhookHandler = async (req, res) => {
    const params = twilioParams(req);
    // Browser calls come from `client:<identity>`; anything else pointed here must not get a free line out.
    const decision: Decision = params.From?.startsWith('client:') ? decide(params.To) : { kind: 'refused', reason: 'not-from-client' };
    if (decision.kind === 'refused') {
      req.log.warn({ reason: decision.reason, from: params.From?.slice(0, 130), to: params.To?.slice(0, 130) }, 'browser call refused');
      return sendTwiml(res, refusals[decision.reason]);
    }
    const twiml = new VoiceResponse();
    // answerOnBridge: the browser hears ringing until the far end answers, not silence.
    if (decision.kind === 'number') twiml.dial({ callerId, answerOnBridge: true }).number(decision.number);
    else twiml.dial({ answerOnBridge: true }).client(decision.identity);
    req.log.info({ from: params.From, to: decision.kind === 'number' ? decision.number : `client:${decision.identity}` }, 'browser call dialled');
    sendTwiml(res, twiml.toString());
  };
  return webhookRoute('/voice/client', dial, twimlErrorHandler('voice'));
}

function renderRefusals(): Record<Refusal, string> {
  const out = {} as Record<Refusal, string>;
  for (const [reason, text] of Object.entries(REFUSALS) as Array<[Refusal, string]>) {
    const twiml = new VoiceResponse();
    twiml.say(text);
    twiml.hangup();
    out[reason] = twiml.toString();
  }
  return out;
}
