import { INTERRUPTED_MESSAGE } from '../../src/outbox';
import { OUR_NUMBER, posts, startApiTest, type ApiTest } from './setup';

let api: ApiTest;
beforeEach(async () => {
  api = await startApiTest();
});
afterEach(() => api.close());

describe('start-up recovery', () => {
  test('a request never attempted is sent; one whose attempt had started is marked unknown, reported, not resent', async () => {
    const { store } = api.t;
    const params = (to: string) => ({ to, from: OUR_NUMBER, body: 'x' });
    await store.insertOutbound({ id: 'never-tried', kind: 'message', params: params('+15550100000') });
    await store.insertOutbound({ id: 'was-in-flight', kind: 'message', params: params('+15550100001') });
    await store.markInFlight('was-in-flight');

    const interrupted = await api.t.outbox?.start();
    expect(interrupted?.map((row) => row.id)).toEqual(['was-in-flight']);
    await api.t.outbox?.stop();

    expect(posts(api.fake)).toEqual([[['To', '+15550100000'], ['From', OUR_NUMBER], ['Body', 'x']]]);
    expect(await store.getOutbound('never-tried')).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await store.getOutbound('was-in-flight')).toMatchObject({ state: 'unknown', attempts: 1, errorMessage: INTERRUPTED_MESSAGE });
    expect(api.t.logs.filter((line) => line.msg === 'outbound request interrupted: outcome unknown, not resent')).toEqual([
      expect.objectContaining({ level: 40, requestId: 'was-in-flight', kind: 'message', jobId: null, to: '+15550100001' }),
    ]);
  });

  test('a row is never sent twice: marking it in flight again is refused before any byte goes out', async () => {
    await api.t.store.insertOutbound({ id: 'r1', kind: 'message', params: { to: '+15550100000', from: OUR_NUMBER, body: 'x' } });
    await api.t.store.markInFlight('r1');
    await expect(api.t.store.markInFlight('r1')).rejects.toThrow('outbound request r1 is not pending; not sending it');
  });
});
