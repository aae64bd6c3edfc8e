import { parseSettings } from '../../src/settings';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '../support/app';
import { twilioSign } from '../support/twilio-sign';
import { doc, get } from './helpers';

let t: TestApp;
afterEach(() => t.close());

describe('/twimlets/echo', () => {
  test('is off by default: 404 with the reason', async () => {
    t = buildTestApp();
    const res = await get(t, '/twimlets/echo?Twiml=%3CResponse%2F%3E');
    expect([res.status, res.text]).toEqual([404, 'the echo twimlet is disabled (set TWIMLETS_ECHO=true to enable it)']);
  });

  describe('with TWIMLETS_ECHO=true', () => {
    beforeEach(() => {
      t = buildTestApp({ TWIMLETS_ECHO: 'true' });
    });

    test('answers the Twiml verbatim (no declaration added), as text/xml', async () => {
      const res = await get(t, '/twimlets/echo?Twiml=%3CResponse%3E%3CSay%3Eecho%20okay%3C%2FSay%3E%3C%2FResponse%3E');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(res.text).toBe('<Response><Say>echo okay</Say></Response>');
    });

    test.each([
      ['missing', '', 'Twiml is required: pass a TwiML document such as <Response><Say>Hi</Say></Response>'],
      ['unclosed', '<Response><Say>hi</Response>', /^Twiml is not well-formed XML \(/],
      ['case mismatch', '<Response></response>', /^Twiml is not well-formed XML \(/],
      ['undefined entity', '<Response>&bogus;</Response>', /^Twiml is not well-formed XML \(/],
      ['trailing text', '<Response/>junk', /^Twiml is not well-formed XML \(/],
      ['not XML', 'hello', /^Twiml is not well-formed XML \(/],
      ['another root', '<Foo/>', 'Twiml must have <Response> as its root element (got <Foo>)'],
    ])('%s: 400 with a plain reason', async (_name, twiml, message) => {
      const res = await get(t, `/twimlets/echo?Twiml=${encodeURIComponent(twiml)}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.text).toMatch(message);
    });
  });
});

describe('/twimlets/holdmusic', () => {
  let s3: http.Server;
  let endpoint: string;
  const requested: string[] = [];
  let listing = '';

  beforeAll(async () => {
    s3 = http.createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/com.twilio.music.guitars') res.writeHead(200, { 'Content-Type': 'application/xml' }).end(listing);
      else if (req.url === '/broken') res.writeHead(200).end('<ListBucketResult><Contents>');
      else res.writeHead(404).end('<Error><Code>NoSuchBucket</Code></Error>');
    });
    await new Promise<void>((resolve) => s3.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(s3.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => s3.close(() => resolve())));

  beforeEach(() => {
    requested.length = 0;
    listing =
      '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>com.twilio.music.guitars</Name>' +
      '<Contents><Key>Pitx_-_A_Thought.mp3</Key><Size>1</Size></Contents>' +
      '<Contents><Key>Pitx_-_Long_Winter.mp3</Key></Contents>' +
      '<Contents><Key>notes.txt</Key></Contents>' +
      '<Contents><Key>dir/My Song.wav</Key></Contents></ListBucketResult>';
    t = buildTestApp({ HOLDMUSIC_BUCKET_ENDPOINT: endpoint }, undefined, {
      settings: parseSettings({ twimlets: { holdMusic: { rock: ['https://music.example.com/a.mp3', 'https://music.example.com/b.mp3'], empty: [] } } }, 'test'),
    });
  });

  /** The tracks are shuffled: compare the <Play> set and the shape. */
  function parts(xml: string): { plays: string[]; shape: string } {
    const plays = [...xml.matchAll(/<Play>([^<]*)<\/Play>/g)].map((m) => m[1] as string).sort();
    return { plays, shape: xml.replace(/<Play>[^<]*<\/Play>/g, '<Play/>') };
  }

  test('HOLD-MUSIC-1 no bucket', async () => {
    expect((await get(t, '/twimlets/holdmusic')).text).toBe(doc('<Response><Say>An S 3 bucket is required.</Say></Response>'));
  });

  test('HOLD-MUSIC-4 a bucket: every audio key, shuffled, then <Redirect/>', async () => {
    const res = await get(t, '/twimlets/holdmusic?Bucket=com.twilio.music.guitars');
    expect(requested).toEqual(['/com.twilio.music.guitars']);
    expect(parts(res.text)).toEqual({
      plays: [
        `${endpoint}/com.twilio.music.guitars/Pitx_-_A_Thought.mp3`,
        `${endpoint}/com.twilio.music.guitars/Pitx_-_Long_Winter.mp3`,
        `${endpoint}/com.twilio.music.guitars/dir/My%20Song.wav`,
      ],
      shape: doc('<Response><Play/><Play/><Play/><Redirect/></Response>'),
    });
  });

  test('HOLD-MUSIC-5 with a Message after each track', async () => {
    const res = await get(t, '/twimlets/holdmusic?Bucket=com.twilio.music.guitars&Message=Please%20hold%20the%20line');
    const say = '<Say>Please hold the line</Say>';
    expect(parts(res.text).shape).toBe(doc(`<Response><Play/>${say}<Play/>${say}<Play/>${say}<Redirect/></Response>`));
  });

  test.each([
    ['HOLD-MUSIC-2 bucket not found', 'Bucket=missing-bucket'],
    ['a listing that is not XML', 'Bucket=broken'],
  ])('%s: "Failed to fetch", and the reason is logged', async (_name, query) => {
    const res = await get(t, `/twimlets/holdmusic?${query}`);
    expect(res.text).toBe(doc('<Response><Say>Failed to fetch the hold music.</Say></Response>'));
    expect(t.logs.some((line) => line.msg === 'hold music unavailable')).toBe(true);
  });

  test('HOLD-MUSIC-3 no audio in the bucket', async () => {
    listing = '<ListBucketResult><Contents><Key>readme.md</Key></Contents></ListBucketResult>';
    expect((await get(t, '/twimlets/holdmusic?Bucket=com.twilio.music.guitars')).text).toBe(doc('<Response><Say>Failed to fetch the hold music.</Say></Response>'));
  });

  test('a bucket name that is not one is a 400 and nothing is fetched', async () => {
    const res = await get(t, '/twimlets/holdmusic?Bucket=..%2F..%2Fadmin');
    expect([res.status, res.text]).toEqual([400, 'Bucket must be an S3 bucket name (lower-case letters, digits, dots and hyphens)']);
    expect(requested).toEqual([]);
  });

  test('Music=<genre> plays the config file\'s URLs, with the message between', async () => {
    const res = await get(t, '/twimlets/holdmusic?Music=rock&Message=https%3A%2F%2Fexample.com%2Fhold-on.mp3');
    expect(parts(res.text)).toEqual({
      plays: ['https://example.com/hold-on.mp3', 'https://example.com/hold-on.mp3', 'https://music.example.com/a.mp3', 'https://music.example.com/b.mp3'],
      shape: doc('<Response><Play/><Play/><Play/><Play/><Redirect/></Response>'),
    });
  });

  test('a genre without URLs says so', async () => {
    expect((await get(t, '/twimlets/holdmusic?Music=empty')).text).toBe(doc('<Response><Say>Failed to fetch the hold music.</Say></Response>'));
  });
});

describe('signature validation applies to /twimlets', () => {
  const TOKEN = 'a'.repeat(32);
  beforeEach(() => {
    t = buildTestApp({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: 'https://sb.example.com' });
  });

  test('an unsigned request is refused', async () => {
    expect((await get(t, '/twimlets/message?Message=Hi')).status).toBe(403);
  });

  test('a request signed like Twilio is answered', async () => {
    const path = '/twimlets/message?Message=Hi';
    const res = await get(t, path).set('X-Twilio-Signature', twilioSign(TOKEN, `https://sb.example.com${path}`));
    expect(res.text).toBe(doc('<Response><Say>Hi</Say></Response>'));
  });
});
