import { Router } from 'express';
import type { AppDeps } from '../src/app';
import { recordInboundMessage } from '../src/http/record-inbound';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { MessagingResponse } from '../src/twiml';

export function smsRouter({ store }: Pick<AppDeps, 'store'>): Router {
  const router = Router();
  const emptyXml = new MessagingResponse().toString();

  router.all('/', async (req, res) => {
    await recordInboundMessage(store, req);
    sendTwiml(res, emptyXml);
  });
  router.use(twimlErrorHandler('messaging'));
  return router;
}
