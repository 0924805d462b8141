/**
 * Chromaprint's compressed fingerprint format, the "AQAA…" strings that fpcalc prints and AcoustID stores, written
 * from acoustid/chromaprint `src/fingerprint_compressor.cpp` and `src/fingerprint_decompressor.cpp` (1.5.1).
 *
 * Layout: byte 0 is the algorithm (Chromaprint's `ChromaprintAlgorithm` enum value, 1 for TEST2), bytes 1–3 the
 * number of items, big-endian. Each item is XOR-ed with the one before it, and the set bits of the result are
 * written as gaps between bit positions (1-based), each item ending in a 0. The gaps go into a stream of 3-bit
 * values, where 7 means "7 or more", followed by a stream of 5-bit values holding gap − 7 for each of those; both
 * streams are packed least-significant bit first. The bytes are then base64url without padding (RFC 4648 §5).
 *
 * Decoding is strict: it accepts exactly the bytes the compressor writes (no trailing bytes, zero padding bits,
 * bit positions within 32), so that one fingerprint has one string, and it bounds every size before allocating.
 */
import type { InputIssue, ParseResult } from '../../errors.js';
import { decodeBase64Url, encodeBase64Url } from '../../tlog/encoding.js';

/**
 * Chromaprint's TEST2 algorithm, fpcalc's default: `number` is fpcalc's and AcoustID's 1-based numbering
 * (`fpcalc -algorithm 2`), `enumValue` is the C enum value `CHROMAPRINT_ALGORITHM_TEST2` that the compressed header
 * byte holds; `registryAlgorithm` names a TEST2 fingerprint in the registry (value: the compressed string).
 *
 * @example
 * ```ts
 * compressChromaprint(raw, CHROMAPRINT_TEST2.enumValue).startsWith('AQ') // true: header byte 1
 * ```
 */
export const CHROMAPRINT_TEST2 = Object.freeze({
  number: 2,
  enumValue: 1,
  registryAlgorithm: 'chromaprint-2/1',
} as const);

/**
 * Seconds of audio per fingerprint item: Chromaprint hops 4096/3 = 1365 samples at 11025 Hz
 * (`src/fingerprinter_configuration.cpp`), so about 8.08 items per second.
 *
 * @example
 * ```ts
 * Math.round(30 / CHROMAPRINT_ITEM_SECONDS) // 242 items for 30 s
 * ```
 */
export const CHROMAPRINT_ITEM_SECONDS = 1365 / 11025;

/**
 * Bounds on what `decompressChromaprint` accepts. The header can claim 16,777,215 items; the default cap of
 * 1,048,576 items is about 36 hours of audio, far above anything heoga fingerprints, and the string is refused
 * before decoding when it is longer than the largest possible encoding of that many items.
 *
 * @example
 * ```ts
 * decompressChromaprint(text, { maxItems: 30_000 }) // about an hour
 * ```
 */
export const CHROMAPRINT_CODEC_LIMITS = Object.freeze({ maxItems: 1 << 20 });

/** A decompressed fingerprint: the algorithm byte of the header and the raw 32-bit items. */
export interface DecompressedChromaprint {
  /** Chromaprint's enum value from the header byte (1 = TEST2), not fpcalc's 1-based number. */
  readonly algorithm: number;
  readonly items: Uint32Array;
}

const NORMAL_BITS = 3;
const EXCEPTION_BITS = 5;
const MAX_NORMAL_VALUE = 7;
const MAX_ITEMS_IN_HEADER = 0xffffff;

/** Packs small values least-significant bit first, as `PackInt3Array`/`PackInt5Array` do. */
function packBits(values: readonly number[], width: number, out: Uint8Array, at: number): void {
  let bitPos = at * 8;
  for (const value of values) {
    for (let b = 0; b < width; b++, bitPos++) if ((value >> b) & 1) out[bitPos >> 3]! |= 1 << (bitPos & 7);
  }
}

/** Reads value `index` of a least-significant-bit-first packed stream starting at byte `at`. */
function unpackBits(bytes: Uint8Array, at: number, index: number, width: number): number {
  let value = 0;
  const start = at * 8 + index * width;
  for (let b = 0; b < width; b++) {
    const bitPos = start + b;
    value |= ((bytes[bitPos >> 3]! >> (bitPos & 7)) & 1) << b;
  }
  return value;
}

const packedSize = (count: number, width: number): number => Math.ceil((count * width) / 8);

/**
 * Compresses raw Chromaprint items into the standard url-safe string, byte for byte what Chromaprint's
 * `chromaprint_encode_fingerprint(…, base64 = 1)` and fpcalc write. `algorithm` is the header byte: Chromaprint's enum
 * value, 1 for TEST2.
 *
 * @example
 * ```ts
 * compressChromaprint(new Uint32Array([1, 3]), 1) // 'AQAAAoEA'
 * ```
 */
export function compressChromaprint(items: Uint32Array, algorithm: number = CHROMAPRINT_TEST2.enumValue): string {
  if (!Number.isInteger(algorithm) || algorithm < 0 || algorithm > 255)
    throw new RangeError(`algorithm must be a byte, got ${algorithm}`);
  if (items.length > MAX_ITEMS_IN_HEADER) throw new RangeError(`at most ${MAX_ITEMS_IN_HEADER} items fit the header`);
  const normal: number[] = [];
  const exceptional: number[] = [];
  let previous = 0;
  for (let i = 0; i < items.length; i++) {
    let x = (items[i]! ^ previous) >>> 0;
    previous = items[i]!;
    let bit = 1;
    let lastBit = 0;
    while (x !== 0) {
      if ((x & 1) !== 0) {
        const gap = bit - lastBit;
        normal.push(Math.min(gap, MAX_NORMAL_VALUE));
        if (gap >= MAX_NORMAL_VALUE) exceptional.push(gap - MAX_NORMAL_VALUE);
        lastBit = bit;
      }
      x >>>= 1;
      bit++;
    }
    normal.push(0);
  }
  const normalBytes = packedSize(normal.length, NORMAL_BITS);
  const out = new Uint8Array(4 + normalBytes + packedSize(exceptional.length, EXCEPTION_BITS));
  out[0] = algorithm;
  out[1] = (items.length >> 16) & 255;
  out[2] = (items.length >> 8) & 255;
  out[3] = items.length & 255;
  packBits(normal, NORMAL_BITS, out, 4);
  packBits(exceptional, EXCEPTION_BITS, out, 4 + normalBytes);
  return encodeBase64Url(out);
}

/**
 * Decompresses a Chromaprint string (from fpcalc, AcoustID or the registry). Untrusted input: anything malformed,
 * truncated, non-canonical or over `maxItems` gives issues with code-free messages for people; it never throws and
 * runs in time linear in the input.
 *
 * @example
 * ```ts
 * const parsed = decompressChromaprint('AQAAAoEA');
 * if (parsed.ok) parsed.value.items // Uint32Array [1, 3]
 * ```
 */
export function decompressChromaprint(
  text: string,
  options: { readonly maxItems?: number } = {},
): ParseResult<DecompressedChromaprint> {
  const fail = (message: string): ParseResult<DecompressedChromaprint> => ({
    ok: false,
    issues: [{ path: '(root)', message } satisfies InputIssue],
  });
  const maxItems = Math.min(options.maxItems ?? CHROMAPRINT_CODEC_LIMITS.maxItems, MAX_ITEMS_IN_HEADER);
  if (typeof text !== 'string') return fail('expected a string');
  // Each item costs at most 32 gaps of 3 bits plus 32 × 5 exceptional bits plus its 3-bit terminator: 33 bytes.
  const maxChars = Math.ceil(((4 + maxItems * 33) * 4) / 3);
  if (text.length > maxChars) return fail(`longer than any fingerprint of at most ${maxItems} items`);
  const bytes = decodeBase64Url(text);
  if (bytes === undefined) return fail('not canonical base64url without padding (RFC 4648 §5, §3.5)');
  if (bytes.length < 4) return fail('shorter than the 4-byte header');
  const algorithm = bytes[0]!;
  const count = (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
  if (count > maxItems) return fail(`the header claims ${count} items, more than the limit of ${maxItems}`);
  const available = Math.floor(((bytes.length - 4) * 8) / NORMAL_BITS);
  // Each item ends in a 0 in the normal stream, so the claim is checked against the bytes before allocating.
  if (count > available) return fail(`the header claims ${count} items but the data holds at most ${available}`);

  // First pass over the normal stream: where it ends, and how many exceptional values it needs.
  let normalCount = 0;
  let found = 0;
  let exceptionalCount = 0;
  while (found < count) {
    if (normalCount >= available) return fail(`the data ends after ${found} of ${count} items`);
    const value = unpackBits(bytes, 4, normalCount++, NORMAL_BITS);
    if (value === 0) found++;
    else if (value === MAX_NORMAL_VALUE) exceptionalCount++;
  }
  const normalBytes = packedSize(normalCount, NORMAL_BITS);
  const exceptionalAt = 4 + normalBytes;
  const expectedLength = exceptionalAt + packedSize(exceptionalCount, EXCEPTION_BITS);
  if (bytes.length < expectedLength) return fail('the data ends inside the exceptional values');
  if (bytes.length > expectedLength) return fail(`${bytes.length - expectedLength} bytes follow the fingerprint`);
  const usedNormalBits = normalCount * NORMAL_BITS;
  if (normalBytes * 8 > usedNormalBits && bytes[exceptionalAt - 1]! >> (usedNormalBits & 7) !== 0)
    return fail('the padding bits after the normal values are not zero');
  const usedExceptionalBits = exceptionalCount * EXCEPTION_BITS;
  if (expectedLength > exceptionalAt && (usedExceptionalBits & 7) !== 0) {
    if (bytes[expectedLength - 1]! >> (usedExceptionalBits & 7) !== 0)
      return fail('the padding bits after the exceptional values are not zero');
  }

  const items = new Uint32Array(count);
  let item = 0;
  let value = 0;
  let lastBit = 0;
  let exception = 0;
  for (let n = 0; n < normalCount; n++) {
    let gap = unpackBits(bytes, 4, n, NORMAL_BITS);
    if (gap === 0) {
      items[item] = item > 0 ? (value ^ items[item - 1]!) >>> 0 : value >>> 0;
      item++;
      value = 0;
      lastBit = 0;
      continue;
    }
    if (gap === MAX_NORMAL_VALUE) gap += unpackBits(bytes, exceptionalAt, exception++, EXCEPTION_BITS);
    const bit = lastBit + gap;
    if (bit > 32) return fail(`item ${item} sets bit ${bit}, beyond the 32 bits of an item`);
    lastBit = bit;
    value |= 1 << (bit - 1);
  }
  return { ok: true, value: { algorithm, items } };
}
