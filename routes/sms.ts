import { Router } from 'express';
import type { AppDeps } from '../src/app';
import { planSmsReply } from '../src/flows/sms-reply';
import { recordInboundMessage } from '../src/http/record-inbound';
import { mediaUrlsOf, twilioParams } from '../src/http/twilio-params';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';

type SmsDeps = Pick<AppDeps, 'store'> & { settings: NonNullable<AppDeps['settings']> };

/** Incoming messages: keyword replies, auto-reply, forwarding, and the opt-out ledger. */
export function smsRouter({ store, settings }: SmsDeps): Router {
  const router = Router();

  router.all('/', async (req, res) => {
    const params = twilioParams(req);
    await recordInboundMessage(store, req, params);
    const from = params.From ?? '';
    // The ledger is per our number, or per messaging service when the message came through one.
    const ours = params.MessagingServiceSid ?? params.To ?? '';
    const mediaUrls = mediaUrlsOf(params);
    const optedOut = from !== '' && (await store.isOptedOut(from, ours));
    const plan = planSmsReply(settings.sms, { from, to: params.To ?? '', body: params.Body ?? '', mediaUrls, optedOut });
    if (plan.optChange !== undefined && from !== '') {
      await store.applyOptChange({
        ourNumber: ours,
        theirNumber: from,
        action: plan.optChange,
        keyword: plan.keyword,
        source: 'inbound-sms',
        messageSid: params.MessageSid ?? null,
      });
    }
    sendTwiml(res, plan.twiml);
  });

  router.use(twimlErrorHandler('messaging'));
  return router;
}
