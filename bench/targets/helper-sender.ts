// The baseline for bulk sending: twilio-node sending the same messages with the same concurrency
// as Switchboard's bulk runner, to the same fake Twilio. Reports elapsed time and peak RSS over IPC.
import fs from 'node:fs';
import twilio from 'twilio';
import { PARALLEL_SENDS } from '../../src/outbox/bulk-runner';
import { RECIPIENTS } from '../outbound-fixtures';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN } from '../../test/support/fake-twilio';

const [baseUrl = ''] = process.argv.slice(2);

/** twilio-node has no base-URL option; its HTTP client is the documented extension point. */
class LoopbackClient extends twilio.RequestClient {
  override request<T>(options: Parameters<twilio.RequestClient['request']>[0] & { data?: T }) {
    return super.request<T>({ ...options, uri: options.uri.replace('https://api.twilio.com', baseUrl) });
  }
}

async function main(): Promise<void> {
  const client = twilio(FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, { httpClient: new LoopbackClient({ keepAlive: true }) });
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < RECIPIENTS.length) {
      const to = RECIPIENTS[next++] as string;
      await client.messages.create({ to, from: '+15005550006', body: 'Bench: hello from the helper' });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_SENDS }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  process.send?.({ seconds, peakMb });
}

void main();
