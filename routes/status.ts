import type { AppDeps } from '../src/app';
import { callbackErrorHandler, callbackInput } from '../src/http/callback-response';
import { webhookRoute, type WebhookHandler, type WebhookRoute } from '../src/http/webhook-route';
import { handleCallStatus, handleMessageStatus, handleRecording, handleTranscription, parseVoicemailSource } from '../src/status';

/** Twilio's status callbacks, under `/status`. It ignores the body of the answer, so success is an empty 204. */
export function statusRoutes({ store }: Pick<AppDeps, 'store'>): WebhookRoute[] {
  const onError = callbackErrorHandler();
  const route = (path: string, handler: WebhookHandler) => webhookRoute(`/status${path}`, handler, onError);
  return [
    route('/call', async (req, res) => {
      await handleCallStatus(store, callbackInput(req));
      res.status(204).end();
    }),
    route('/message', async (req, res) => {
      await handleMessageStatus(store, callbackInput(req));
      res.status(204).end();
    }),
    route('/recording', async (req, res) => {
      await handleRecording(store, callbackInput(req));
      res.status(204).end();
    }),
    route('/transcription', async (req, res) => {
      await handleTranscription(store, callbackInput(req), parseVoicemailSource(req.query.voicemail));
      res.status(204).end();
    }),
  ];
}
