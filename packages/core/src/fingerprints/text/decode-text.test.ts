import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import { decodeStrictly, decodeText } from './decode-text.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The WHATWG decoder, fatal, dropping one BOM: the reference for valid input. */
function reference(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

function errorOf(decode: (bytes: Uint8Array) => string, bytes: Uint8Array): InvalidInputError {
  try {
    decode(bytes);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected a TEXT_INVALID error');
}

/** Bytes biased towards the edges of UTF-8: lead bytes, continuation bytes, the forbidden ones. */
const nearUtf8 = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x80, 0xbf, 0xa0, 0x9f, 0x8f),
      fc.constantFrom(0x41, 0xea, 0xb0, 0x80, 0xbb),
    ),
    { maxLength: 24 },
  )
  .map((a) => Uint8Array.from(a));

describe('decodeText', () => {
  it('decodes Korean and drops one leading byte-order mark', () => {
    expect(decodeText(utf8('허가를 받다'))).toBe('허가를 받다');
    expect(decodeText(Uint8Array.of(0xef, 0xbb, 0xbf, 0xed, 0x95, 0x9c))).toBe('한');
    expect(decodeText(Uint8Array.of(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
    expect(decodeText(utf8('a\ufeffb'))).toBe('a\ufeffb');
    expect(decodeText(new Uint8Array(0))).toBe('');
    expect(decodeText(utf8('😀 𝔘'))).toBe('😀 𝔘');
  });

  it.each([
    ['overlong NUL', [0x61, 0xc0, 0x80], 1],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf], 0],
    ['surrogate', [0x41, 0x42, 0xed, 0xa0, 0x80], 2],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated at the end', [0xed, 0x95, 0x9c, 0xed, 0x95], 3],
    ['lone continuation byte', [0x61, 0x62, 0x63, 0x80], 3],
    ['forbidden byte', [0xff], 0],
  ])('refuses %s with TEXT_INVALID at the offending byte', (_name, bytes, offset) => {
    for (const decode of [decodeText, decodeStrictly]) {
      const error = errorOf(decode, Uint8Array.from(bytes));
      expect(error.code).toBe('TEXT_INVALID');
      expect(error.issues[0]?.path).toBe(`bytes[${offset}]`);
    }
  });

  it('reports the offset right after a byte-order mark and across chunk boundaries', () => {
    expect(errorOf(decodeText, Uint8Array.of(0xef, 0xbb, 0xbf, 0xc0)).issues[0]?.path).toBe('bytes[3]');
    const long = new Uint8Array(20_001).fill(0x61);
    long[20_000] = 0xc3;
    expect(errorOf(decodeText, long).issues[0]?.path).toBe('bytes[20000]');
    const longKorean = utf8('가'.repeat(9000));
    expect(decodeStrictly(longKorean)).toBe('가'.repeat(9000));
  });

  it('on any bytes: the string the WHATWG decoder gives, or TEXT_INVALID at the first byte it cannot read', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), nearUtf8), (bytes) => {
        const expected = reference(bytes);
        for (const decode of [decodeText, decodeStrictly]) {
          if (expected !== undefined) {
            expect(decode(bytes)).toBe(expected);
            continue;
          }
          const error = errorOf(decode, bytes);
          expect(error.code).toBe('TEXT_INVALID');
          const offset = Number(/^bytes\[(\d+)\]$/.exec(error.issues[0]!.path)![1]);
          // Everything before the offset is valid UTF-8, and a replacing decoder puts its first U+FFFD right there.
          const prefix = reference(bytes.subarray(0, offset));
          expect(prefix).toBeDefined();
          expect(new TextDecoder().decode(bytes).startsWith(`${prefix}\ufffd`)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips every well-formed string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        if (/\p{Cs}/u.test(text)) return;
        const expected = text.startsWith('\ufeff') ? text.slice(1) : text;
        expect(decodeText(utf8(text))).toBe(expected);
        expect(decodeStrictly(utf8(text))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
