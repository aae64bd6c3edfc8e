import { timeOrderedUuid } from '../../src/outbox/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  test('is a version 7 UUID whose first 48 bits are the time given', () => {
    const ms = Date.parse('2026-11-26T20:00:00.123Z');
    const id = timeOrderedUuid(ms);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  test('ids of later milliseconds sort after earlier ones, and ids of one millisecond differ', () => {
    const ms = Date.parse('2026-11-26T20:00:00Z');
    const ids = Array.from({ length: 10_000 }, (_, i) => timeOrderedUuid(ms + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 100; i < ids.length; i += 100) expect((ids[i - 1] as string) < (ids[i] as string)).toBe(true);
  });
});
