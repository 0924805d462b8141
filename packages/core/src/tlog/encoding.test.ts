import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, decodeBase64, decodeUtf8, encodeBase64, encodeUtf8, isWellFormedText } from './encoding.js';

describe('base64', () => {
  it('agrees with Node on every byte string, both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('accepts only the canonical encoding', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const bytes = decodeBase64(text);
        if (bytes !== undefined) expect(encodeBase64(bytes)).toBe(text);
      }),
      { numRuns: 2000 },
    );
    for (const text of ['A', 'AA', 'AAA', 'AA=', 'A===', 'AQJ=', 'AR==', 'AA==AA==', '=AAA', 'AA A', 'AAA\n', 'AA-_']) {
      expect(decodeBase64(text), text).toBeUndefined();
    }
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });
});

describe('UTF-8', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const reference = (bytes: Uint8Array): string | undefined => {
    try {
      return fatal.decode(bytes);
    } catch {
      return undefined;
    }
  };

  it('decodes exactly as a fatal WHATWG decoder that keeps the BOM', () => {
    const nearValid = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 255 }),
          fc.constantFrom(0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x80, 0xbf, 0xa0, 0x8f, 0x90),
        ),
        {
          maxLength: 12,
        },
      )
      .map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), nearValid), (bytes) => {
        expect(decodeUtf8(bytes)).toBe(reference(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips well-formed strings and flags lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        expect(isWellFormedText(text)).toBe(true);
        expect(encodeUtf8(text)).toEqual(new TextEncoder().encode(text));
        expect(decodeUtf8(encodeUtf8(text))).toBe(text);
      }),
    );
    expect(isWellFormedText('a\ud800b')).toBe(false);
    expect(isWellFormedText('\udc00')).toBe(false);
    expect(isWellFormedText('\ud83d\ude00')).toBe(true);
    expect(decodeUtf8(new Uint8Array(20_000).fill(0x61))).toBe('a'.repeat(20_000));
  });
});

describe('constantTimeEqual', () => {
  it('is byte equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, Uint8Array.from(a))).toBe(true);
      }),
    );
  });
});
