import { observeCost } from '../../bench/metrics-observe';

// The bench's in-process figure is only worth something if its loop runs the path a webhook
// takes: observeCost checks that the real observer counted every call and throws otherwise.
// No timing is asserted.
describe('bench/metrics-observe', () => {
  test('every call of the loop is counted by the real metrics, and each figure has its baseline', async () => {
    const cost = await observeCost('/voice', 2_000, 2);
    expect(cost).toEqual({
      observeNs: expect.any(Number),
      observeBaselineNs: expect.any(Number),
      commitNs: expect.any(Number),
      commitBaselineNs: expect.any(Number),
      iterations: 2_000,
      batches: 2,
    });
    for (const ns of [cost.observeNs, cost.observeBaselineNs, cost.commitNs, cost.commitBaselineNs]) expect(Number.isFinite(ns)).toBe(true);
  });
});
