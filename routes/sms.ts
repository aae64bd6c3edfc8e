import type { AppDeps } from '../src/app';
import type { SettingsHolder } from '../src/settings';
import { planSmsReply } from '../src/flows/sms-reply';
import { recordInboundMessage } from '../src/http/record-inbound';
import { mediaUrlsOf, twilioParams } from '../src/http/twilio-params';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { webhookRoute, type WebhookHandler, type WebhookRoute } from '../src/http/webhook-route';

type SmsDeps = Pick<AppDeps, 'store'> & { settings: SettingsHolder };

/** Incoming messages at `/sms`: keyword replies, auto-reply, forwarding, and the opt-out ledger. */
export function smsRoutes({ store, settings }: SmsDeps): WebhookRoute[] {
  const reply: WebhookHandler = async (req, res) => {
    const params = twilioParams(req);
    await recordInboundMessage(store, req, params);
    const from = params.From ?? '';
    // The ledger is per our number, or per messaging service when the message came through one.
    const ours = params.MessagingServiceSid ?? params.To ?? '';
    const mediaUrls = mediaUrlsOf(params);
    const optedOut = from !== '' && (await store.isOptedOut(from, ours));
    const plan = planSmsReply(settings.current.sms, { from, to: params.To ?? '', body: params.Body ?? '', mediaUrls, optedOut });
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
  };
  return [webhookRoute('/sms', reply, twimlErrorHandler('messaging'))];
}
