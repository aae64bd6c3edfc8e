import { Router } from 'express';
import type { AppDeps } from '../src/app';
import { recordInboundCall } from '../src/http/record-inbound';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { VoiceResponse } from '../src/twiml';

export const DEFAULT_GREETING = 'Hello! This is Switchboard. Your server is up and answering calls. Goodbye.';

export function voiceRouter({ store }: Pick<AppDeps, 'store'>): Router {
  const router = Router();
  // The document does not depend on the request: render it once.
  const greeting = new VoiceResponse();
  greeting.say(DEFAULT_GREETING);
  const greetingXml = greeting.toString();

  router.all('/', async (req, res) => {
    await recordInboundCall(store, req);
    sendTwiml(res, greetingXml);
  });
  router.use(twimlErrorHandler('voice'));
  return router;
}
