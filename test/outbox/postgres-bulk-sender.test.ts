// Two instances' outboxes on one PostgreSQL database: a bulk job is sent by one of them at a
// time, so no recipient is attempted twice, and the other takes over when the sender stops.
import pino from 'pino';
import { Outbox } from '../../src/outbox';
import { openPostgresStore, type Store } from '../../src/store';
import { createTwilioClient, type TwilioClient } from '../../src/twilio';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { describeNeeding, postgresPart } from '../support/system-parts';

const RECIPIENTS = 200;

describeNeeding(postgresPart())('bulk sends across instances on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let fake: FakeTwilio;
  const stores: Store[] = [];
  const outboxes: Outbox[] = [];
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(() => cluster?.stop());
  beforeEach(async () => {
    fake = await startFakeTwilio();
  });
  afterEach(async () => {
    for (const outbox of outboxes.splice(0)) await outbox.stop();
    for (const store of stores.splice(0)) await store.close();
    await fake.close();
  });

  /** The real client against the fake, counting what this instance sent. */
  function countingClient(): { twilio: TwilioClient; sent: () => number } {
    const real = createTwilioClient({ baseUrl: fake.baseUrl, accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN });
    let sent = 0;
    return { twilio: { ...real, sendMessage: (input, options) => ((sent += 1), real.sendMessage(input, options)) }, sent: () => sent };
  }

  async function instance(url: string) {
    const store = await openPostgresStore({ url, poolSize: 4 }, { now: () => new Date() });
    stores.push(store);
    const { twilio, sent } = countingClient();
    const outbox = new Outbox({
      store,
      twilio,
      clock: { now: () => new Date() },
      logger: pino({ level: 'silent' }),
      messagesPerSecond: 10_000,
      idleMs: 10,
      leaseRetryMs: 20,
      parallelSends: 4,
    });
    outboxes.push(outbox);
    return { store, outbox, sent };
  }

  async function queueJob(store: Store): Promise<void> {
    const recipients = Array.from({ length: RECIPIENTS }, (_, i) => ({
      id: `req_${String(i).padStart(4, '0')}`,
      kind: 'message' as const,
      params: { to: `+1555030${String(i).padStart(4, '0')}`, from: '+15005550006', body: 'hello' },
    }));
    await store.createBulkJob({ id: 'job_1', params: { body: 'hello' }, recipients });
  }

  async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  function sentTo(): string[] {
    return fake.requests.filter((r) => r.method === 'POST').map((r) => new URLSearchParams(r.rawBody).get('To') ?? '');
  }

  test('two instances running: one sends the whole job, every recipient exactly once', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await instance(url), await instance(url)];
    await queueJob(a.store);
    await Promise.all([a.outbox.start(), b.outbox.start()]);
    await until('the job to complete', async () => (await a.store.getBulkJob('job_1'))?.state === 'completed');

    expect((await b.store.getBulkJob('job_1'))?.counts).toEqual({ queued: 0, inFlight: 0, sent: RECIPIENTS, failed: 0, unknown: 0, notSent: 0, skippedOptedOut: 0 });
    expect(sentTo()).toHaveLength(RECIPIENTS);
    expect(new Set(sentTo()).size).toBe(RECIPIENTS);
    expect([a.sent(), b.sent()].sort((x, y) => x - y)).toEqual([0, RECIPIENTS]);
  });

  test('when the sending instance stops mid-job, the other takes over; still nobody twice, nobody dropped', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = [await instance(url), await instance(url)];
    await queueJob(a.store);
    await Promise.all([a.outbox.start(), b.outbox.start()]);
    await until('50 sends', () => a.sent() + b.sent() >= 50);
    const [leader, follower] = a.sent() > 0 ? [a, b] : [b, a];
    expect(follower.sent()).toBe(0);
    await leader.outbox.stop();
    const byLeader = leader.sent();
    await until('the job to complete', async () => (await follower.store.getBulkJob('job_1'))?.state === 'completed');

    expect(byLeader).toBeLessThan(RECIPIENTS);
    expect(follower.sent()).toBe(RECIPIENTS - byLeader);
    expect(new Set(sentTo()).size).toBe(RECIPIENTS);
    expect(sentTo()).toHaveLength(RECIPIENTS);
    expect((await follower.store.getBulkJob('job_1'))?.counts).toMatchObject({ sent: RECIPIENTS, unknown: 0 });
  });
});
