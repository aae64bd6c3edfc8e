import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { defaultPhoneAssetsDir } from '../../src/client/assets';
import { softphoneSounds } from '../../src/client/tones';
import { phoneRouter } from '../../routes/phone';

function appWith(assetsDir: string) {
  const app = express();
  app.use('/phone', phoneRouter({ assetsDir }));
  return app;
}

/** Power of one frequency in PCM samples (Goertzel), relative to the signal's total power. */
function share(samples: Int16Array, freq: number, rate = 8000): number {
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / (samples.length * total);
}

describe('GET /phone', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-assets-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('serves the built page and script with a same-origin CSP', async () => {
    fs.writeFileSync(path.join(dir, 'phone.html'), '<!doctype html><title>p</title>');
    fs.writeFileSync(path.join(dir, 'phone.js'), 'console.log(1)');
    const page = await request(appWith(dir)).get('/phone');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toBe('<!doctype html><title>p</title>');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' wss://*.twilio.com https://*.twilio.com; " +
        "media-src 'self' blob:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const script = await request(appWith(dir)).get('/phone/phone.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toBe('console.log(1)');
  });

  test('says how to build it when it is not built', async () => {
    const res = await request(appWith(dir)).get('/phone');
    expect(res.status).toBe(503);
    expect(res.text).toBe('The softphone is not built: run npm run build.');
  });

  test('serves every SDK sound as WAV, and 404s the rest', async () => {
    const res = await request(appWith(dir)).get('/phone/sounds/dtmf5.wav');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('audio/wav');
    expect(Buffer.compare(res.body as Buffer, softphoneSounds().get('dtmf5') as Buffer)).toBe(0);
    expect((await request(appWith(dir)).get('/phone/sounds/cowbell.wav')).status).toBe(404);
  });

  test('the build output is found from the package root, from src as from dist', () => {
    const root = path.resolve(__dirname, '../..');
    expect(defaultPhoneAssetsDir(path.join(root, 'src/client'))).toBe(path.join(root, 'dist/public'));
    expect(defaultPhoneAssetsDir(path.join(root, 'dist/routes'))).toBe(path.join(root, 'dist/public'));
  });
});

describe('softphone sounds', () => {
  const sounds = softphoneSounds();

  test('has every sound the Voice SDK plays', () => {
    expect([...sounds.keys()].sort()).toEqual(
      ['disconnect', 'dtmf0', 'dtmf1', 'dtmf2', 'dtmf3', 'dtmf4', 'dtmf5', 'dtmf6', 'dtmf7', 'dtmf8', 'dtmf9', 'dtmfh', 'dtmfs', 'incoming', 'outgoing'].sort(),
    );
  });

  test('are 8 kHz 16-bit mono PCM WAV files', () => {
    const wav = sounds.get('dtmf1') as Buffer;
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 1, 8000, 16]);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(150 * 8 * 2);
  });

  test.each([
    ['dtmf1', 697, 1209],
    ['dtmf0', 941, 1336],
    ['dtmfs', 941, 1209],
    ['dtmfh', 941, 1477],
  ])('%s carries %d Hz and %d Hz and no other DTMF tone', (name, low, high) => {
    const wav = sounds.get(name) as Buffer;
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
    expect(share(samples, low)).toBeGreaterThan(0.4);
    expect(share(samples, high)).toBeGreaterThan(0.4);
    for (const other of [697, 770, 852, 941, 1209, 1336, 1477].filter((f) => f !== low && f !== high)) {
      expect(share(samples, other)).toBeLessThan(0.01);
    }
  });
});
