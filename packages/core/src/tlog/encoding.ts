/**
 * Byte helpers for the transparency-log code, written over plain `Uint8Array`s (no Node-only or DOM-only APIs) so
 * that core stays isomorphic. Every decoder is strict: it accepts exactly one encoding of each value, so a signed
 * text cannot be changed without changing the bytes a signature covers.
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) values[BASE64_ALPHABET.charCodeAt(i)] = i;
  return values;
})();

/**
 * Encodes bytes as standard, padded base64 (RFC 4648 §4).
 *
 * @example
 * ```ts
 * encodeBase64(new Uint8Array([1, 2, 3])) // 'AQID'
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]!;
    out += BASE64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5, §3.2), the form the registry stores binary fingerprints
 * in and Chromaprint writes its compressed fingerprints in.
 *
 * @example
 * ```ts
 * encodeBase64Url(new Uint8Array([0xfb, 0xff])) // '-_8'
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64url without padding and accepts only the canonical form: no padding, no whitespace, zero unused
 * bits in the last character (RFC 4648 §3.5). Returns `undefined` for anything else.
 *
 * @example
 * ```ts
 * decodeBase64Url('-_8') // Uint8Array [0xfb, 0xff]
 * decodeBase64Url('-_9') // undefined: non-zero unused bits
 * ```
 */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return decodeBase64(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
}

function base64Value(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? BASE64_VALUES[code]! : -1;
}

/**
 * Decodes standard, padded base64 (RFC 4648 §4) and accepts only the canonical form: padding is required, no
 * whitespace, and the unused bits of the last character must be zero (RFC 4648 §3.5). Returns `undefined` for
 * anything else.
 *
 * @example
 * ```ts
 * decodeBase64('AQID') // Uint8Array [1, 2, 3]
 * decodeBase64('AQI=') // Uint8Array [1, 2]
 * decodeBase64('AQJ=') // undefined: non-zero unused bits
 * ```
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = base64Value(text, i);
    const b = base64Value(text, i + 1);
    const c = last && padding === 2 ? 0 : base64Value(text, i + 2);
    const d = last && padding >= 1 ? 0 : base64Value(text, i + 3);
    if (a < 0 || b < 0 || c < 0 || d < 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (last && padding === 2) {
      if ((b & 15) !== 0) return undefined;
      out[o++] = n >> 16;
    } else if (last && padding === 1) {
      if ((c & 3) !== 0) return undefined;
      out[o++] = n >> 16;
      out[o++] = (n >> 8) & 255;
    } else {
      out[o++] = n >> 16;
      out[o++] = (n >> 8) & 255;
      out[o++] = n & 255;
    }
  }
  return out;
}

/**
 * Compares two byte strings in time that depends only on their lengths, never on where they differ, so comparing a
 * computed hash with a claimed one leaks nothing to a timing observer (STYLE §8).
 *
 * @example
 * ```ts
 * constantTimeEqual(hashLeaf(data), claimedLeafHash) // true or false
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * Decodes UTF-8 strictly: overlong forms, surrogates, code points above U+10FFFF and truncated sequences give
 * `undefined`, and a leading byte-order mark is kept as U+FEFF rather than dropped, so that decoding is one-to-one.
 *
 * @example
 * ```ts
 * decodeUtf8(new Uint8Array([0xe2, 0x80, 0x94])) // '—'
 * decodeUtf8(new Uint8Array([0xc0, 0x80]))       // undefined (overlong)
 * ```
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  const chunks: string[] = [];
  const units: number[] = [];
  const continuation = (at: number, min = 0x80, max = 0xbf): number => {
    const byte = bytes[at];
    return byte !== undefined && byte >= min && byte <= max ? byte & 0x3f : -1;
  };
  for (let i = 0; i < bytes.length;) {
    const b0 = bytes[i]!;
    let codePoint: number;
    if (b0 < 0x80) {
      codePoint = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      const b1 = continuation(i + 1);
      if (b1 < 0) return undefined;
      codePoint = ((b0 & 0x1f) << 6) | b1;
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      // Unicode Table 3-7: E0 needs A0..BF (no overlongs), ED needs 80..9F (no surrogates).
      const b1 = continuation(i + 1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf);
      const b2 = continuation(i + 2);
      if (b1 < 0 || b2 < 0) return undefined;
      codePoint = ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      // F0 needs 90..BF (no overlongs), F4 needs 80..8F (nothing above U+10FFFF).
      const b1 = continuation(i + 1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf);
      const b2 = continuation(i + 2);
      const b3 = continuation(i + 3);
      if (b1 < 0 || b2 < 0 || b3 < 0) return undefined;
      codePoint = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
      i += 4;
    } else {
      return undefined;
    }
    if (codePoint >= 0x10000) {
      codePoint -= 0x10000;
      units.push(0xd800 | (codePoint >> 10), 0xdc00 | (codePoint & 0x3ff));
    } else {
      units.push(codePoint);
    }
    if (units.length >= 8192) chunks.push(String.fromCharCode(...units.splice(0)));
  }
  chunks.push(String.fromCharCode(...units));
  return chunks.join('');
}

/**
 * True when `text` holds an ASCII control character other than newline (below U+0020): signed-note forbids them, so
 * a note cannot hide a carriage return or a NUL from the human who reads it.
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

/** True when `text` has no lone surrogate, so that it has a UTF-8 encoding and `encodeUtf8` changes nothing. */
export function isWellFormedText(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

/**
 * Encodes a well-formed string as UTF-8. Lone surrogates are replaced by U+FFFD, so check `isWellFormedText` first
 * wherever the bytes are signed.
 *
 * @example
 * ```ts
 * encodeUtf8('—') // Uint8Array [0xe2, 0x80, 0x94]
 * ```
 */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const c = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Concatenates byte strings. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Lower-case hexadecimal of a byte string. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
