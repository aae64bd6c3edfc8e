import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../src/app';
import { twilioParams } from '../src/http/twilio-params';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { MessagingResponse } from '../src/twiml';

export function smsRouter({ store }: Pick<AppDeps, 'store'>): Router {
  const router = Router();
  const emptyXml = new MessagingResponse().toString();

  const answer = async (req: Request, res: Response) => {
    await recordMessage(store, req);
    sendTwiml(res, emptyXml);
  };
  router.get('/', answer);
  router.post('/', answer);
  router.use(twimlErrorHandler('messaging'));
  return router;
}

async function recordMessage(store: AppDeps['store'], req: Request): Promise<void> {
  const params = twilioParams(req);
  const sid = params.MessageSid ?? params.SmsSid;
  if (sid === undefined) return;
  const mediaUrls: string[] = [];
  const numMedia = Math.min(Number(params.NumMedia ?? 0) || 0, 10);
  for (let i = 0; i < numMedia; i++) {
    const url = params[`MediaUrl${i}`];
    if (url !== undefined) mediaUrls.push(url);
  }
  try {
    await store.recordInboundMessage({ sid, from: params.From ?? '', to: params.To ?? '', body: params.Body ?? '', mediaUrls });
  } catch (err) {
    req.log.error({ err, messageSid: sid }, 'could not record inbound message');
  }
}
