import { safeEqual } from '../../src/security';

describe('safeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
    ['', 'a', false],
    ['é', 'e\u0301', false],
    ['✓', '✓', true],
  ])('%j vs %j -> %s', (a, b, expected) => {
    expect(safeEqual(a, b)).toBe(expected);
  });
});
