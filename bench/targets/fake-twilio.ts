// The fake Twilio API (checked against Twilio's OpenAPI spec) in its own process.
import { startFakeTwilio } from '../../test/support/fake-twilio';

void startFakeTwilio().then((fake) => {
  process.send?.({ baseUrl: fake.baseUrl });
  process.on('message', (message) => {
    if (message === 'count') {
      const perRecipient = new Map<string, number>();
      for (const request of fake.requests) {
        const to = request.form.find(([key]) => key === 'To')?.[1];
        if (to !== undefined) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
      }
      const duplicates = [...perRecipient.values()].filter((n) => n > 1).length;
      process.send?.({ requests: fake.requests.length, rejected: fake.requests.filter((r) => (r.status ?? 0) >= 400).length, duplicates });
      fake.reset();
    }
    if (message === 'stop') void fake.close().then(() => process.exit(0));
  });
});
