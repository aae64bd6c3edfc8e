import { Router } from 'express';
import type { AppDeps } from '../src/app';
import { callbackErrorHandler, callbackInput } from '../src/http/callback-response';
import { handleCallStatus, handleMessageStatus, handleRecording, handleTranscription, parseVoicemailSource } from '../src/status';

/** Twilio's status callbacks. It ignores the body of the answer, so success is an empty 204. */
export function statusRouter({ store }: Pick<AppDeps, 'store'>): Router {
  const router = Router();
  router.all('/call', async (req, res) => {
    await handleCallStatus(store, callbackInput(req));
    res.status(204).end();
  });
  router.all('/message', async (req, res) => {
    await handleMessageStatus(store, callbackInput(req));
    res.status(204).end();
  });
  router.all('/recording', async (req, res) => {
    await handleRecording(store, callbackInput(req));
    res.status(204).end();
  });
  router.all('/transcription', async (req, res) => {
    await handleTranscription(store, callbackInput(req), parseVoicemailSource(req.query.voicemail));
    res.status(204).end();
  });
  router.use(callbackErrorHandler());
  return router;
}
