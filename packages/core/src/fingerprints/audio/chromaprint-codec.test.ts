import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressChromaprint, decompressChromaprint, CHROMAPRINT_TEST2 } from './chromaprint-codec.js';

// Known answers from acoustid/chromaprint tests/test_api.cpp (TestFp: test_stereo_44100.raw; Test2SilenceFp: 130 ×
// 1024 zero samples), with the raw items of TestFp as the Rust bindings' tests (chromaprint-rust) assert them.
const TEST_FP = 'AQAAC0kkZUqYREkUnFAXHk8uuMZl6EfO4zu-4ABKFGESWIIMEQE';
const TEST_FP_RAW = [
  3740390231, 3739276119, 3730871573, 3743460629, 3743525173, 3744594229, 3727948087, 1584920886, 1593302326,
  1593295926, 1584907318,
];
const SILENCE_FP = 'AQAAA0mUaEkSRZEGAA';
const SILENCE_ITEM = 627964279;

const items = fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 300 }).map((a) => Uint32Array.from(a));

/** Bytes as unpadded base64url, written with the platform's btoa so that the test does not reuse the codec. */
function base64Url(...bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function expectIssues(text: string, options?: { maxItems?: number }): void {
  const result = decompressChromaprint(text, options);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
}

describe('compressChromaprint / decompressChromaprint', () => {
  it('reproduce the chromaprint test_api.cpp vectors', () => {
    expect(compressChromaprint(Uint32Array.from(TEST_FP_RAW))).toBe(TEST_FP);
    expect(decompressChromaprint(TEST_FP)).toEqual({
      ok: true,
      value: { algorithm: CHROMAPRINT_TEST2.enumValue, items: Uint32Array.from(TEST_FP_RAW) },
    });
    expect(compressChromaprint(Uint32Array.of(SILENCE_ITEM, SILENCE_ITEM, SILENCE_ITEM))).toBe(SILENCE_FP);
    const silence = decompressChromaprint(SILENCE_FP);
    expect(silence.ok && [...silence.value.items]).toEqual([SILENCE_ITEM, SILENCE_ITEM, SILENCE_ITEM]);
  });

  it('write the header: algorithm byte and big-endian item count', () => {
    expect(compressChromaprint(new Uint32Array(0), 1)).toBe('AQAAAA');
    expect(decompressChromaprint('AQAAAA')).toEqual({ ok: true, value: { algorithm: 1, items: new Uint32Array(0) } });
    expect(compressChromaprint(Uint32Array.of(1, 3), 1)).toBe('AQAAAoEA');
    expect(atob(compressChromaprint(Uint32Array.of(0xffffffff), 4).slice(0, 8)).slice(0, 4)).toBe('\x04\x00\x00\x01');
  });

  it('round-trip any items and algorithm byte (property)', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 0, max: 255 }), (raw, algorithm) => {
        const text = compressChromaprint(raw, algorithm);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decompressChromaprint(text)).toEqual({ ok: true, value: { algorithm, items: raw } });
      }),
    );
  });

  it('round-trip items with large gaps between set bits (exceptional values)', () => {
    const sparse = fc
      .array(fc.constantFrom(0, 1, 0x80000000, 0x80000001, 0x40000, 0xffffffff), { maxLength: 64 })
      .map((a) => Uint32Array.from(a));
    fc.assert(
      fc.property(sparse, (raw) => {
        const parsed = decompressChromaprint(compressChromaprint(raw));
        expect(parsed.ok && parsed.value.items).toEqual(raw);
      }),
    );
  });

  it('reject any change to a valid string, or accept it only as another fingerprint (property)', () => {
    fc.assert(
      fc.property(items, fc.nat(), fc.constantFrom(...'AQgw-_z9'), (raw, at, replacement) => {
        const text = compressChromaprint(raw);
        const i = at % text.length;
        const mutated = text.slice(0, i) + replacement + text.slice(i + 1);
        const parsed = decompressChromaprint(mutated);
        // Strict decoding is one-to-one: whatever parses must compress back to exactly the string given.
        if (parsed.ok) expect(compressChromaprint(parsed.value.items, parsed.value.algorithm)).toBe(mutated);
      }),
    );
  });

  it('never throw on hostile strings, and accept only canonical encodings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AQgw-_z9+/=é '), maxLength: 80 }), (text) => {
        const parsed = decompressChromaprint(text);
        if (parsed.ok) expect(compressChromaprint(parsed.value.items, parsed.value.algorithm)).toBe(text);
        else expect(parsed.issues[0]?.message).toEqual(expect.any(String));
      }),
      { numRuns: 2000 },
    );
  });

  it('turn malformed input into issues', () => {
    expectIssues(''); // shorter than the header
    expectIssues('AQA'); // 2 bytes
    expectIssues('A'); // impossible base64 length
    expectIssues(TEST_FP + '='); // padding is not written
    expectIssues(TEST_FP.replace('-', '+')); // standard alphabet, not url-safe
    expectIssues(TEST_FP.slice(0, -4)); // truncated
    expectIssues(TEST_FP + 'AAAA'); // trailing bytes
    expectIssues('AQ__AA'); // claims 65,535+ items with no data
    expectIssues('AQAAAQ'); // claims one item, has no normal values
    // [1, 3] is the normal values 1, 0, 2, 0 in 12 bits: 0x81 0x00. Setting a padding bit after them is refused.
    expect(decompressChromaprint(base64Url(1, 0, 0, 2, 0x81, 0x00)).ok).toBe(true);
    expectIssues(base64Url(1, 0, 0, 2, 0x81, 0x10));
    // One item whose normal values are 7 (exceptional follows) and 0, but the exceptional byte is missing.
    expectIssues(base64Url(1, 0, 0, 1, 0b000111));
    expect(decompressChromaprint(base64Url(1, 0, 0, 1, 0b000111, 0)).ok).toBe(true);
    // Its exceptional value with a padding bit set.
    expectIssues(base64Url(1, 0, 0, 1, 0b000111, 0x80));
    // Two items claimed, one present.
    expectIssues(base64Url(1, 0, 0, 2, 0b000001));
  });

  it('refuse a header claim over maxItems before decoding', () => {
    expectIssues(TEST_FP, { maxItems: 10 });
    expect(decompressChromaprint(TEST_FP, { maxItems: 11 }).ok).toBe(true);
    expectIssues('A'.repeat(100_000), { maxItems: 10 }); // longer than any 10-item fingerprint
  });

  it('reject a bit position beyond 32', () => {
    // Header: TEST2, 1 item. Normal stream: 7 (exceptional follows), 0 (end of item) → 6 bits = 1 byte 0b000111.
    // Exceptional stream: 31 → gap 38, bit 38 > 32.
    const parsed = decompressChromaprint(base64Url(1, 0, 0, 1, 0b000111, 31));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.message).toMatch(/bit 38/);
  });
});
