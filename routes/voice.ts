import type { Request } from 'express';
import type { AppDeps } from '../src/app';
import { VoiceFlow } from '../src/flows/voice-flow';
import type { SettingsHolder } from '../src/settings';
import { recordInboundCall } from '../src/http/record-inbound';
import { twilioParams } from '../src/http/twilio-params';
import { webhookClock } from '../src/http/webhook-clock';
import { sendTwiml, twimlErrorHandler } from '../src/http/twiml-response';
import { webhookRoute, type WebhookHandler, type WebhookRoute } from '../src/http/webhook-route';

type VoiceDeps = Pick<AppDeps, 'store' | 'clock' | 'config'> & { settings: SettingsHolder };

/** Incoming calls: the configured flow, one URL per step, under `/voice`. */
export function voiceRoutes({ store, clock, config, settings }: VoiceDeps): WebhookRoute[] {
  const onError = twimlErrorHandler('voice');
  const route = (path: string, handler: WebhookHandler) => webhookRoute(`/voice${path}`, handler, onError);
  // A flow renders its documents once and reuses them, so it is rebuilt only when the settings
  // are replaced (SIGHUP), on the first webhook after that.
  let flowSettings = settings.current;
  let currentFlow = new VoiceFlow(flowSettings.voice, config.publicBaseUrl);
  const flowNow = (): VoiceFlow => {
    if (settings.current !== flowSettings) {
      flowSettings = settings.current;
      currentFlow = new VoiceFlow(flowSettings.voice, config.publicBaseUrl);
    }
    return currentFlow;
  };
  // Business hours are judged at this time: the clock's, or a simulated one signed with the token.
  const now = webhookClock(clock, config.twilio.authToken);

  // A step that no longer exists (the config changed mid-call) starts the flow over.
  const known = (req: Request, flow: VoiceFlow): string | undefined => {
    const name = req.params.node as string;
    if (flow.has(name)) return name;
    req.log.warn({ node: name }, 'unknown flow step; starting the flow over');
    return undefined;
  };

  return [
    route('', async (req, res) => {
      await recordInboundCall(store, req);
      sendTwiml(res, flowNow().start(now(req)));
    }),

    route('/node/:node', async (req, res) => {
      await recordInboundCall(store, req);
      const flow = flowNow();
      const name = known(req, flow);
      sendTwiml(res, name === undefined ? flow.start(now(req)) : flow.step(name, now(req)));
    }),

    route('/node/:node/gather', async (req, res) => {
      const flow = flowNow();
      const name = known(req, flow);
      if (name === undefined) return sendTwiml(res, flow.start(now(req)));
      const params = twilioParams(req);
      const attempt = Number.parseInt(String(req.query.attempt ?? '0'), 10);
      const input = { digits: params.Digits, speech: params.SpeechResult };
      sendTwiml(res, flow.gather(name, Number.isFinite(attempt) && attempt >= 0 ? attempt : 0, input, now(req)));
    }),

    route('/node/:node/dial-result', async (req, res) => {
      const flow = flowNow();
      const name = known(req, flow);
      if (name === undefined) return sendTwiml(res, flow.start(now(req)));
      const params = twilioParams(req);
      // The 2008 API called it DialStatus; the TwiML apps of that era still send it.
      sendTwiml(res, flow.dialResult(name, params.DialCallStatus ?? params.DialStatus, now(req)));
    }),

    route('/node/:node/recorded', async (req, res) => {
      const flow = flowNow();
      const name = known(req, flow);
      if (name === undefined) return sendTwiml(res, flow.start(now(req)));
      const params = twilioParams(req);
      if (params.CallSid !== undefined && params.RecordingSid !== undefined) {
        // Stored before answering: if this fails, Twilio gets the fallback TwiML and logs an error,
        // and the recording callback still carries the recording.
        await store.saveVoicemail({
          callSid: params.CallSid,
          recordingSid: params.RecordingSid,
          from: params.From ?? '',
          to: params.To ?? '',
          recordingUrl: params.RecordingUrl ?? null,
          duration: toInt(params.RecordingDuration),
          source: `flow:${name}`,
        });
      }
      sendTwiml(res, flow.recorded(name));
    }),
  ];
}

function toInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}
