import { API_KEY, MESSAGES_PATH, OUR_NUMBER, posts, startApiTest, type ApiTest } from '../api/setup';
import { listen, runCli, type Listening } from '../support/cli';

const TO = '+15551230003';
const CALLBACK: [string, string] = ['StatusCallback', 'https://switchboard.example.com/status/message'];

let api: ApiTest;
let server: Listening;
beforeEach(async () => {
  api = await startApiTest();
  server = await listen(api.t.app);
});
afterEach(async () => {
  await server.close();
  await api.close();
});

describe('switchboard sms against the real /api route and a fake Twilio', () => {
  test('one media URL: the request Twilio receives, the line printed, and the message in history', async () => {
    const run = await runCli(['sms', '--to', TO, '--body', 'Your order shipped', '--media', 'https://example.com/label.png'], {
      API_KEY,
      SWITCHBOARD_URL: server.origin,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [sid] = [...api.fake.messages.keys()];
    expect(run.stdout).toBe(`message ${sid} queued: ${OUR_NUMBER} → ${TO}\n`);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.auth.kind, r.contentType])).toEqual([
      ['POST', MESSAGES_PATH, 'account', 'application/x-www-form-urlencoded'],
    ]);
    expect(posts(api.fake)).toEqual([
      [['To', TO], ['From', OUR_NUMBER], ['Body', 'Your order shipped'], ['MediaUrl', 'https://example.com/label.png'], CALLBACK],
    ]);
    expect(await api.t.store.getMessage(sid as string)).toMatchObject({ direction: 'outbound-api', to: TO, body: 'Your order shipped', mediaUrls: ['https://example.com/label.png'] });
  });

  test('several media URLs arrive as repeated MediaUrl pairs', async () => {
    const run = await runCli(['sms', '--to', TO, '--media', 'https://example.com/a.jpg', '--media', 'https://example.com/b.jpg'], {
      API_KEY,
      SWITCHBOARD_URL: server.origin,
    });
    expect(run.code).toBe(0);
    expect(posts(api.fake)).toEqual([
      [['To', TO], ['From', OUR_NUMBER], ['MediaUrl', 'https://example.com/a.jpg'], ['MediaUrl', 'https://example.com/b.jpg'], CALLBACK],
    ]);
  });

  test("the API's refusal of a bad media URL is one line naming the field; Twilio gets nothing", async () => {
    const run = await runCli(['sms', '--to', TO, '--media', 'ftp://example.com/a.jpg'], { API_KEY, SWITCHBOARD_URL: server.origin });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: POST ${server.origin}/api/messages answered 400: mediaUrl: Expected \`mediaUrl\` to be an absolute http(s) URL (received "ftp://example.com/a.jpg")\n`,
    });
    expect(api.fake.requests).toEqual([]);
  });
});
