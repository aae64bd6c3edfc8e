import { runCli } from '../support/cli';
import { hmacBase64 } from '../support/twilio-sign';

const TOKEN = 'abcdefabcdefabcdefabcdefabcdef12';

describe('switchboard sign', () => {
  test("Twilio's documented example vector", async () => {
    const run = await runCli(
      [
        'sign',
        '--url',
        'https://mycompany.com/myapp.php?foo=1&bar=2',
        ...['CallSid=CA1234567890ABCDE', 'Caller=+14158675309', 'Digits=1234', 'From=+14158675309', 'To=+18005551212'].flatMap((pair) => ['-d', pair]),
      ],
      { TWILIO_AUTH_TOKEN: '12345' },
    );
    expect(run).toEqual({ code: 0, stderr: '', stdout: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=\n' });
  });

  test('an independently computed HMAC: names sorted, values unencoded, = inside a value kept', async () => {
    const run = await runCli(
      ['sign', '--url', 'https://sb.example.com/sms', '--data', 'To=+15005550006', '-d', 'Body=a=b & c', '-d', 'From=+15551230000'],
      { TWILIO_AUTH_TOKEN: TOKEN },
    );
    const expected = hmacBase64(TOKEN, 'https://sb.example.com/smsBodya=b & cFrom+15551230000To+15005550006');
    expect(run).toEqual({ code: 0, stderr: '', stdout: `${expected}\n` });
  });

  test('a path is joined to PUBLIC_BASE_URL, else to SWITCHBOARD_URL', async () => {
    const withBase = await runCli(['sign', '--url', '/voice'], { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: 'https://sb.example.com/', SWITCHBOARD_URL: 'http://127.0.0.1:1' });
    expect(withBase.stdout).toBe(`${hmacBase64(TOKEN, 'https://sb.example.com/voice')}\n`);
    const local = await runCli(['sign', '--url', '/voice?x=1'], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(local.stdout).toBe(`${hmacBase64(TOKEN, 'http://localhost:3000/voice?x=1')}\n`);
  });

  test.each([
    [['sign', '--url', 'https://x.example.com/voice'], {}, 'switchboard: TWILIO_AUTH_TOKEN is not set: there is nothing to sign with\n'],
    [['sign', '-d', 'A=1'], { TWILIO_AUTH_TOKEN: TOKEN }, "switchboard: required option '--url <url>' not specified\n"],
    [['sign', '--url', '/voice', '-d', 'novalue'], { TWILIO_AUTH_TOKEN: TOKEN }, "switchboard: option '-d, --data <Key=Value>' argument 'novalue' is invalid. must be Key=Value\n"],
    [['sign', '--url', 'voice'], { TWILIO_AUTH_TOKEN: TOKEN }, 'switchboard: --url must be an absolute http(s) URL such as http://localhost:3000 (got "voice")\n'],
  ])('%j: one line, exit code 1, and never the token', async (args, env: Record<string, string>, line) => {
    const run = await runCli(args, env);
    expect(run).toEqual({ code: 1, stdout: '', stderr: line });
    expect(run.stderr).not.toContain(TOKEN);
  });
});
