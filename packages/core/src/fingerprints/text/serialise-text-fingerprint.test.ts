import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { koreanText } from '../../../test/text-corpus.js';
import { InvalidInputError } from '../../errors.js';
import { minhash } from './minhash.js';
import { decodeBase64Url, encodeBase64Url } from '../../tlog/encoding.js';
import {
  MAX_WINNOW_FINGERPRINTS,
  parseTextFingerprint,
  serialiseTextFingerprint,
  TEXT_FINGERPRINT_ALGORITHMS,
  type TextFingerprint,
} from './serialise-text-fingerprint.js';
import { winnow, type WinnowFingerprints } from './winnow.js';

const hex = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(''));
const winnowFingerprints: fc.Arbitrary<WinnowFingerprints> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })), {
    maxLength: 200,
  })
  .chain((entries) =>
    fc.nat({ max: 0xffffffff - 100_000 * 200 }).map((first) => {
      let position = first - 1;
      const positions = Uint32Array.from(entries, ([delta]) => (position += delta));
      return {
        positions,
        hashHigh: Uint32Array.from(entries, ([, high]) => high),
        hashLow: Uint32Array.from(entries, ([, , low]) => low),
      };
    }),
  );
const fingerprint: fc.Arbitrary<TextFingerprint> = fc.oneof(
  hex.map((h) => ({ algorithm: 'sha256' as const, hex: h })),
  hex.map((h) => ({ algorithm: 'sha256-text-nfkc/1' as const, hex: h })),
  fc
    .uint32Array({ minLength: 128, maxLength: 128 })
    .map((s) => ({ algorithm: 'minhash-oph-c5-128/1' as const, signature: s })),
  winnowFingerprints.map((f) => ({ algorithm: 'winnow-c13-w16/1' as const, fingerprints: f })),
);

/** A winnow value from raw bytes, for hostile-input cases. */
const winnowValue = (...bytes: number[]): string => encodeBase64Url(Uint8Array.from(bytes));

describe('text fingerprint serialisation', () => {
  it('parses what it serialises, to an equal fingerprint, and serialises that to the same text', () => {
    fc.assert(
      fc.property(fingerprint, (x) => {
        const stored = serialiseTextFingerprint(x);
        expect(stored.algorithm).toBe(x.algorithm);
        const parsed = parseTextFingerprint(stored.algorithm, stored.value);
        expect(parsed).toEqual({ ok: true, value: x });
        if (parsed.ok) expect(serialiseTextFingerprint(parsed.value)).toEqual(stored);
      }),
      { numRuns: 500 },
    );
  });

  it('writes a MinHash signature as 683 base64url characters of big-endian uint32', () => {
    const signature = Uint32Array.from({ length: 128 }, (_, i) => (i === 0 ? 0x01020304 : 0xffffffff));
    const { value } = serialiseTextFingerprint({ algorithm: 'minhash-oph-c5-128/1', signature });
    expect(value).toHaveLength(683);
    expect(value.startsWith('AQIDBP____')).toBe(true);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('writes the winnow format as documented: version, count, position deltas, 64-bit hashes', () => {
    const fingerprints = {
      positions: Uint32Array.of(5, 300),
      hashHigh: Uint32Array.of(0x01020304, 0xffffffff),
      hashLow: Uint32Array.of(0x05060708, 0),
    };
    const { value } = serialiseTextFingerprint({ algorithm: 'winnow-c13-w16/1', fingerprints });
    expect([...decodeBase64Url(value)!]).toEqual([
      1, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0xa7, 0x02, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,
    ]);
  });

  it('keeps a 300,000-character novel well under 1 MB of text', () => {
    const novel = winnow(koreanText(77, 400_000));
    expect(novel.positions.length).toBeGreaterThan(30_000);
    const { value } = serialiseTextFingerprint({ algorithm: 'winnow-c13-w16/1', fingerprints: novel });
    expect(value.length / novel.positions.length).toBeLessThan(13); // about 9 bytes, base64: 12 characters
    expect(value.length).toBeLessThan(600_000);
  });

  it('rejects random and malformed values without throwing', () => {
    const algorithm = fc.oneof(fc.constantFrom(...TEXT_FINGERPRINT_ALGORITHMS), fc.string({ maxLength: 20 }));
    const value = fc.oneof(
      fc.string({ maxLength: 800 }),
      fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789-_=+/ '), maxLength: 800 }),
      fc.uint8Array({ maxLength: 600 }).map(encodeBase64Url),
      fc.uint8Array({ minLength: 512, maxLength: 512 }).map((b) => encodeBase64Url(b).slice(0, 682) + 'B'),
    );
    fc.assert(
      fc.property(algorithm, value, (a, v) => {
        const parsed = parseTextFingerprint(a, v);
        if (parsed.ok) {
          // Whatever parses is canonical: it serialises back to the very same text.
          expect(serialiseTextFingerprint(parsed.value)).toEqual({ algorithm: a, value: v });
        } else {
          expect(parsed.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['unknown algorithm', 'minhash', 'AAAA'],
    ['upper-case hex', 'sha256', 'A'.repeat(64)],
    ['short hex', 'sha256-text-nfkc/1', 'a'.repeat(63)],
    ['padded base64url', 'minhash-oph-c5-128/1', 'A'.repeat(683) + '='],
    ['short signature', 'minhash-oph-c5-128/1', 'A'.repeat(682)],
    ['non-zero unused bits', 'minhash-oph-c5-128/1', 'A'.repeat(682) + 'B'],
    ['standard base64 alphabet', 'winnow-c13-w16/1', 'AQA+'],
    ['empty winnow value', 'winnow-c13-w16/1', ''],
    ['wrong version', 'winnow-c13-w16/1', winnowValue(2, 0)],
    ['count beyond the value', 'winnow-c13-w16/1', winnowValue(1, 0xff, 0xff, 0xff, 0x7f)],
    ['count beyond the limit', 'winnow-c13-w16/1', winnowValue(1, 0x81, 0x80, 0x80, 0x02)],
    ['overlong count', 'winnow-c13-w16/1', winnowValue(1, 0x80, 0x00)],
    ['repeated position', 'winnow-c13-w16/1', winnowValue(1, 2, 5, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8)],
    ['position past 2^32', 'winnow-c13-w16/1', winnowValue(1, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 2, 3, 4, 5, 6, 7, 8)],
    ['truncated hash', 'winnow-c13-w16/1', winnowValue(1, 1, 5, 1, 2, 3, 4, 5, 6, 7)],
    ['trailing bytes', 'winnow-c13-w16/1', winnowValue(1, 0, 0)],
    ['too long', 'winnow-c13-w16/1', 'A'.repeat(Math.ceil(((6 + MAX_WINNOW_FINGERPRINTS * 13) * 4) / 3) + 4)],
  ])('rejects %s', (_name, algorithm, value) => {
    const parsed = parseTextFingerprint(algorithm, value);
    expect(parsed.ok).toBe(false);
  });

  it('accepts the empty winnow set and a real signature', () => {
    expect(parseTextFingerprint('winnow-c13-w16/1', winnowValue(1, 0))).toEqual({
      ok: true,
      value: {
        algorithm: 'winnow-c13-w16/1',
        fingerprints: { positions: new Uint32Array(0), hashHigh: new Uint32Array(0), hashLow: new Uint32Array(0) },
      },
    });
    const signature = minhash(koreanText(3, 500));
    const stored = serialiseTextFingerprint({ algorithm: 'minhash-oph-c5-128/1', signature });
    expect(parseTextFingerprint(stored.algorithm, stored.value)).toEqual({
      ok: true,
      value: { algorithm: 'minhash-oph-c5-128/1', signature },
    });
  });

  it('refuses to serialise what it could not parse', () => {
    const refused = (x: TextFingerprint): string | undefined => {
      try {
        serialiseTextFingerprint(x);
      } catch (error) {
        if (error instanceof InvalidInputError) return error.code;
        throw error;
      }
      return undefined;
    };
    expect(refused({ algorithm: 'sha256', hex: 'ABC' })).toBe('FINGERPRINT_INVALID');
    expect(refused({ algorithm: 'minhash-oph-c5-128/1', signature: new Uint32Array(127) })).toBe('FINGERPRINT_INVALID');
    const positions = Uint32Array.of(3, 3);
    const hashes = Uint32Array.of(1, 2);
    expect(
      refused({ algorithm: 'winnow-c13-w16/1', fingerprints: { positions, hashHigh: hashes, hashLow: hashes } }),
    ).toBe('FINGERPRINT_INVALID');
  });

  it('encodes base64url canonically', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
    );
    for (const bad of ['A', 'AB=', 'AB==', 'AQ+', 'AQ/', 'AR', ' AQ', 'AQ\n'])
      expect(decodeBase64Url(bad)).toBeUndefined();
  });
});
