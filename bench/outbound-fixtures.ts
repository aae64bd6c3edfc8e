import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } from '../test/support/fake-twilio';
/** 10,000 distinct recipients, the largest bulk job Switchboard accepts. */
export const RECIPIENTS: readonly string[] = Array.from({ length: 10_000 }, (_, i) => `+1555${String(1_000_000 + i).padStart(7, '0')}`);
export const BENCH_API_KEY = 'bench-api-key-0123456789abcdef';

/**
 * The server's environment for the outbound benches, pointed at the fake Twilio. Both limits are
 * lifted to the highest the settings allow: the figures are the server's, not the limits'.
 */
export function outboundBenchEnv(twilioBaseUrl: string): Record<string, string> {
  return {
    API_KEY: BENCH_API_KEY,
    TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
    TWILIO_API_BASE_URL: twilioBaseUrl,
    TWILIO_FROM_NUMBER: '+15005550006',
    MESSAGES_PER_SECOND: '10000',
    API_RATE_LIMIT: '1000000',
  };
}
