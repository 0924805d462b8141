import { InvalidInputError } from '../../errors.js';

const CHUNK_UNITS = 8192;

/** The part of the WHATWG `TextDecoder` used here; core reaches it through `globalThis` to build without DOM types. */
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
type Utf8DecoderConstructor = new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => Utf8Decoder;

// The engine's decoder is many times faster than a loop in JavaScript; `ignoreBOM: false` makes it drop one leading
// byte-order mark, as we want. Where it refuses the bytes, `decodeStrictly` runs to find the offset to report.
const fatalDecoder = (() => {
  const candidate: unknown = (globalThis as { readonly TextDecoder?: unknown }).TextDecoder;
  return typeof candidate === 'function'
    ? new (candidate as Utf8DecoderConstructor)('utf-8', { fatal: true, ignoreBOM: false })
    : undefined;
})();

function invalidAt(offset: number, why: string): InvalidInputError {
  return new InvalidInputError('TEXT_INVALID', `text is not valid UTF-8: ${why} at byte ${offset}`, [
    { path: `bytes[${offset}]`, message: `invalid UTF-8: ${why}` },
  ]);
}

/**
 * Decodes the bytes of a text work as UTF-8, strictly (RFC 3629 §4 and Unicode Table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence) and drops one leading byte-order mark, which says how the
 * file was saved, not what it says. Anything else is refused with `InvalidInputError('TEXT_INVALID')`, whose issue
 * names the byte offset of the first bad sequence (`bytes[17]`): a fingerprint of text that was guessed at, with
 * U+FFFD in place of what could not be read, would match neither the creator's copy nor a faithful one.
 *
 * @example
 * ```ts
 * decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0xed, 0x95, 0x9c])) // '한'
 * decodeText(new Uint8Array([0x61, 0xc0, 0x80]))                   // throws TEXT_INVALID, issue path 'bytes[1]'
 * ```
 */
export function decodeText(bytes: Uint8Array): string {
  if (fatalDecoder !== undefined) {
    try {
      return fatalDecoder.decode(bytes);
    } catch {
      // Not UTF-8: decodeStrictly says where.
    }
  }
  return decodeStrictly(bytes);
}

/**
 * `decodeText` in JavaScript alone, which knows the offset of the first bad byte: `decodeText` falls back to it when
 * the engine's decoder refuses the bytes (or where there is no `TextDecoder`). Exported for tests.
 *
 * @example
 * ```ts
 * decodeStrictly(new Uint8Array([0xed, 0x95, 0x9c])) // '한'
 * ```
 */
export function decodeStrictly(bytes: Uint8Array): string {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const units = new Uint16Array(Math.min(CHUNK_UNITS + 2, bytes.length - start));
  const chunks: string[] = [];
  let u = 0;
  const continuation = (at: number, min: number, max: number): number => {
    const byte = bytes[at];
    return byte !== undefined && byte >= min && byte <= max ? byte & 0x3f : -1;
  };
  for (let i = start; i < bytes.length;) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      units[u++] = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      const b1 = continuation(i + 1, 0x80, 0xbf);
      if (b1 < 0) throw invalidAt(i, 'truncated or malformed 2-byte sequence');
      units[u++] = ((b0 & 0x1f) << 6) | b1;
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      // Unicode Table 3-7: E0 needs A0..BF (no overlongs), ED needs 80..9F (no surrogates).
      const b1 = continuation(i + 1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf);
      const b2 = continuation(i + 2, 0x80, 0xbf);
      if (b1 < 0 || b2 < 0) throw invalidAt(i, 'truncated or malformed 3-byte sequence');
      units[u++] = ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      // F0 needs 90..BF (no overlongs), F4 needs 80..8F (nothing above U+10FFFF).
      const b1 = continuation(i + 1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf);
      const b2 = continuation(i + 2, 0x80, 0xbf);
      const b3 = continuation(i + 3, 0x80, 0xbf);
      if (b1 < 0 || b2 < 0 || b3 < 0) throw invalidAt(i, 'truncated or malformed 4-byte sequence');
      const codePoint = (((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3) - 0x10000;
      units[u++] = 0xd800 | (codePoint >> 10);
      units[u++] = 0xdc00 | (codePoint & 0x3ff);
      i += 4;
    } else {
      throw invalidAt(i, b0 >= 0x80 && b0 <= 0xbf ? 'unexpected continuation byte' : `byte 0x${b0.toString(16)}`);
    }
    if (u >= CHUNK_UNITS) {
      chunks.push(String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]));
      u = 0;
    }
  }
  chunks.push(String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]));
  return chunks.length === 1 ? chunks[0]! : chunks.join('');
}
