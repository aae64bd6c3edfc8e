import fs from 'node:fs';
import path from 'node:path';
import { Router, type Response } from 'express';
import { softphoneSounds } from '../src/client/tones';

export interface PhoneOptions {
  /** The folder `npm run build` writes phone.html and phone.js to. */
  assetsDir: string;
}

/**
 * Scripts only from this origin; the SDK's signalling and (when enabled) insights go to Twilio
 * over WebSocket and HTTPS, and media is WebRTC, which CSP does not govern.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'connect-src \'self\' wss://*.twilio.com https://*.twilio.com',
  "media-src 'self' blob:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `GET /phone`: the softphone page, its script bundle and its sounds. */
export function phoneRouter({ assetsDir }: PhoneOptions): Router {
  const router = Router();
  const sounds = softphoneSounds();

  // Read per request, so a rebuild shows without a restart; both files are small.
  const sendAsset = async (res: Response, file: string, type: string) => {
    let body: Buffer;
    try {
      body = await fs.promises.readFile(path.join(assetsDir, file));
    } catch {
      res.status(503).type('text/plain').send('The softphone is not built: run npm run build.');
      return;
    }
    res.type(type).send(body);
  };

  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Referrer-Policy', 'no-referrer');
    // Microphone for this origin only; no camera.
    res.setHeader('Permissions-Policy', 'microphone=(self), camera=()');
    next();
  });
  router.get('/', (_req, res) => sendAsset(res, 'phone.html', 'text/html; charset=utf-8'));
  router.get('/phone.js', (_req, res) => sendAsset(res, 'phone.js', 'text/javascript; charset=utf-8'));
  router.get('/sounds/:name.wav', (req, res, next) => {
    const sound = sounds.get(req.params.name as string);
    if (sound === undefined) return next();
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('audio/wav').send(sound);
  });
  return router;
}
