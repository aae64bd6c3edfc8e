import { shown } from '../../src/api/received';

describe('what a 400 shows of the refused value', () => {
  test.each([
    ['+1555', '+1555'],
    [' 15551234567', ' 15551234567'],
    [15551234567, 15551234567],
    [true, true],
    [null, null],
    ['x'.repeat(80), 'x'.repeat(80)],
    ['x'.repeat(81), `${'x'.repeat(80)}… (81 characters)`],
    ['https://user:secret@example.com/a?b=c', 'https://***@example.com/a?b=c'],
    [['https://a.example.com/x', 'http://u:p@b.example.com/y'], '["https://a.example.com/x","http://***@b.example.com/y"]'],
    [{ to: '+1555' }, '{"to":"+1555"}'],
  ])('%j is shown as %j', (raw, expected) => {
    expect(shown(raw)).toEqual(expected);
  });
});
