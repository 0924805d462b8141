import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRfc3339, parseRfc3339 } from '../index.js';

describe('RFC 3339 times', () => {
  it.each([
    ['2026-11-25T09:00:00Z', Date.UTC(2026, 10, 25, 9)],
    ['2026-11-25T18:00:00+09:00', Date.UTC(2026, 10, 25, 9)],
    ['2026-11-25t09:00:00z', Date.UTC(2026, 10, 25, 9)],
    ['2026-11-25 09:00:00.5Z', Date.UTC(2026, 10, 25, 9, 0, 0, 500)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('parses %s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-11-25T24:00:00Z',
    '2026-11-25T09:00:00',
    '2026-11-25',
    'now',
    '',
    '2026-11-25T09:00:00+25:00',
  ])('rejects %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
    expect(isRfc3339(text)).toBe(false);
  });

  it('round-trips every ISO time and never throws on any string (property)', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31') }), (d) => {
        expect(parseRfc3339(d.toISOString())).toBe(d.getTime());
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        const ms = parseRfc3339(s);
        expect(ms === undefined || Number.isFinite(ms)).toBe(true);
      }),
    );
  });
});
