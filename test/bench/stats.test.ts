import { median, pairedRatios, quantile, spread } from '../../bench/stats';

describe('bench/stats', () => {
  test('the median of an odd count is the middle value, of an even count the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('quartiles interpolate between sorted values, as R and numpy do by default', () => {
    // numpy.percentile([1..10], [25, 75]) == [3.25, 7.75]
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(quantile(ten, 0.25)).toBeCloseTo(3.25);
    expect(quantile(ten, 0.75)).toBeCloseTo(7.75);
    expect(spread(ten)).toEqual({ median: 5.5, q1: 3.25, q3: 7.75, min: 1, max: 10 });
  });

  test('leaves its input in the order given', () => {
    const rounds = [3, 1, 2];
    median(rounds);
    expect(rounds).toEqual([3, 1, 2]);
  });

  test('ratios pair rounds by position and refuse rounds that do not pair', () => {
    expect(pairedRatios([2, 9], [1, 3])).toEqual([2, 3]);
    expect(() => pairedRatios([1, 2], [1])).toThrow('unpaired');
    expect(() => median([])).toThrow('no values');
  });
});
