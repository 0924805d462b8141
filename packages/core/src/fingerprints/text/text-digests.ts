import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../tlog/encoding.js';
import { decodeText } from './decode-text.js';
import { normalisedCodePoints } from './normalise-for-shingling.js';

/** The exact-match digests of a text work. */
export interface TextDigests {
  /** SHA-256 of the bytes as given (a byte-order mark included), lowercase hex: the `sha256` fingerprint. */
  readonly sha256: string;
  /** SHA-256 of the UTF-8 of the normalised text, lowercase hex: the `sha256-text-nfkc/1` fingerprint. */
  readonly normalisedSha256: string;
}

// Scratch for the UTF-8 that is hashed and dropped, reused up to SCRATCH_LIMIT bytes: a scan hashes millions of small
// documents. A longer text gets an array of its own, so that one novel does not pin it forever.
const SCRATCH_LIMIT = 1 << 18;
let scratch: Uint8Array | undefined;

/**
 * UTF-8 of code points (never lone surrogates: the normaliser removes them), in one pass into an array of the worst
 * case size (4 bytes each), which may be the shared scratch: the caller hashes it at once and keeps nothing.
 */
function utf8OfCodePoints(codePoints: Uint32Array): Uint8Array {
  const n = codePoints.length;
  const out = n * 4 > SCRATCH_LIMIT ? new Uint8Array(n * 4) : (scratch ??= new Uint8Array(SCRATCH_LIMIT));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const c = codePoints[i]!;
    if (c < 0x80) {
      out[at++] = c;
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    } else {
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 63);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    }
  }
  return out.subarray(0, at);
}

/**
 * `textDigests` on text already decoded and normalised: what `fingerprintText` uses, to normalise only once. `hash`
 * is SHA-256 (noble's, in pure JavaScript, by default; a caller in Node passes the native one, about 8× faster).
 *
 * @example
 * ```ts
 * digestsOf(bytes, normaliseForShingling(decodeText(bytes)).codePoints) // the same as textDigests(bytes)
 * ```
 */
export function digestsOf(
  bytes: Uint8Array,
  codePoints: Uint32Array,
  hash: (data: Uint8Array) => Uint8Array = sha256,
): TextDigests {
  return { sha256: toHex(hash(bytes)), normalisedSha256: toHex(hash(utf8OfCodePoints(codePoints))) };
}

/**
 * The two exact-match digests of a text work: SHA-256 of its bytes (the same file), and SHA-256 of the UTF-8 of its
 * normalised text (`normaliseForShingling`: the same wording, whatever the spacing, punctuation, width, case or
 * encoding details). Bytes that are not UTF-8 throw `InvalidInputError('TEXT_INVALID')`, as in `decodeText`. A text
 * with nothing left after normalisation still has digests (the second is SHA-256 of the empty string).
 *
 * @example
 * ```ts
 * const a = textDigests(new TextEncoder().encode('안녕 하세요!'));
 * const b = textDigests(new TextEncoder().encode('안녕하세요'));
 * a.sha256 === b.sha256                     // false
 * a.normalisedSha256 === b.normalisedSha256 // true
 * ```
 */
export function textDigests(bytes: Uint8Array): TextDigests {
  return digestsOf(bytes, normalisedCodePoints(decodeText(bytes)));
}
