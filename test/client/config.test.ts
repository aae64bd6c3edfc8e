import { ConfigError, countryCode, loadConfig } from '../../src/config';

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Twilio Client settings', () => {
  test('reads the TwiML App, token lifetime and dial pattern', () => {
    const config = loadConfig(
      {
        TWILIO_TWIML_APP_SID: 'AP' + 'd'.repeat(32),
        CLIENT_TOKEN_TTL: '600',
        CLIENT_DIAL_PATTERN: '^\\+1(212|646)\\d{7}$',
      },
      '/srv',
    );
    expect(config.client).toEqual({ twimlAppSid: 'AP' + 'd'.repeat(32), tokenTtlSeconds: 600, dialPattern: '^\\+1(212|646)\\d{7}$' });
    expect(Object.isFrozen(config.client)).toBe(true);
  });

  test.each([
    ['+15005550006', '^\\+1[2-9]\\d{2}[2-9]\\d{6}$'],
    ['+447700900123', '^\\+44\\d{4,13}$'],
    ['+4930123456', '^\\+49\\d{4,13}$'],
    ['+79161234567', '^\\+7\\d{4,14}$'],
    ['+353861234567', '^\\+353\\d{4,12}$'],
    ['+8613800138000', '^\\+86\\d{4,13}$'],
    ['+85291234567', '^\\+852\\d{4,12}$'],
  ])('without a pattern, numbers in the country of %s are allowed: %s', (from, pattern) => {
    expect(loadConfig({ TWILIO_FROM_NUMBER: from }, '/srv').client.dialPattern).toBe(pattern);
  });

  test.each([
    ['+12125550100', '1'],
    ['+442071234567', '44'],
    ['+3531234567', '353'],
    ['+2348012345678', '234'],
    ['+201001234567', '20'],
    ['+74951234567', '7'],
  ])('the country code of %s is %s', (number, code) => {
    expect(countryCode(number)).toBe(code);
  });

  test.each([
    [{ TWILIO_TWIML_APP_SID: 'AP123' }, 'TWILIO_TWIML_APP_SID must be "AP" followed by 32 hexadecimal characters'],
    [{ TWILIO_TWIML_APP_SID: 'PN' + 'a'.repeat(32) }, 'TWILIO_TWIML_APP_SID must be "AP" followed by 32 hexadecimal characters'],
    [{ CLIENT_TOKEN_TTL: '1h' }, 'CLIENT_TOKEN_TTL must be a number of seconds from 60 to 86400 (got "1h")'],
    [{ CLIENT_TOKEN_TTL: '86401' }, 'CLIENT_TOKEN_TTL must be a number of seconds from 60 to 86400 (got "86401")'],
    [{ CLIENT_TOKEN_TTL: '59' }, 'CLIENT_TOKEN_TTL must be a number of seconds from 60 to 86400 (got "59")'],
    [{ CLIENT_DIAL_PATTERN: '\\+1\\d{10}' }, 'CLIENT_DIAL_PATTERN must start with ^ and end with $, so that it matches whole numbers'],
    [
      { CLIENT_DIAL_PATTERN: '^\\+1(\\d{10}$' },
      'CLIENT_DIAL_PATTERN is not a valid regular expression: Invalid regular expression: /^\\+1(\\d{10}$/: Unterminated group',
    ],
  ])('refuses %j', (env, message) => {
    expect(errorOf(env)).toBe(message);
  });
});
