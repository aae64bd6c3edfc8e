import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../src/app';
import { twilioParams } from '../src/http/twilio-params';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { VoiceResponse } from '../src/twiml';

export const DEFAULT_GREETING = 'Hello! This is Switchboard. Your server is up and answering calls. Goodbye.';

export function voiceRouter({ store }: Pick<AppDeps, 'store'>): Router {
  const router = Router();
  // The document does not depend on the request: render it once.
  const greeting = new VoiceResponse();
  greeting.say(DEFAULT_GREETING);
  const greetingXml = greeting.toString();

  const answer = async (req: Request, res: Response) => {
    await recordCall(store, req);
    sendTwiml(res, greetingXml);
  };
  router.get('/', answer);
  router.post('/', answer);
  router.use(twimlErrorHandler('voice'));
  return router;
}

/** The caller is answered even when the database is failing; the failure is logged. */
async function recordCall(store: AppDeps['store'], req: Request): Promise<void> {
  const params = twilioParams(req);
  const sid = params.CallSid;
  if (sid === undefined) return;
  try {
    await store.recordInboundCall({
      sid,
      from: params.From ?? '',
      to: params.To ?? '',
      status: params.CallStatus ?? 'ringing',
    });
  } catch (err) {
    req.log.error({ err, callSid: sid }, 'could not record inbound call');
  }
}
