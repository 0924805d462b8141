import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../tlog/encoding.js';
import { decodeText } from './decode-text.js';
import { normaliseForShingling, type NormalisedText } from './normalise-for-shingling.js';

/** The exact-match digests of a text work. */
export interface TextDigests {
  /** SHA-256 of the bytes as given (a byte-order mark included), lowercase hex: the `sha256` fingerprint. */
  readonly sha256: string;
  /** SHA-256 of the UTF-8 of the normalised text, lowercase hex: the `sha256-text-nfkc/1` fingerprint. */
  readonly normalisedSha256: string;
}

/** UTF-8 of code points (never lone surrogates: the normaliser removes them). */
function utf8OfCodePoints(codePoints: Uint32Array): Uint8Array {
  let size = 0;
  for (const c of codePoints) size += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of codePoints) {
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
  return out;
}

/**
 * `textDigests` on text already decoded and normalised: what `fingerprintText` uses, to normalise only once.
 *
 * @example
 * ```ts
 * digestsOf(bytes, normaliseForShingling(decodeText(bytes))) // the same as textDigests(bytes)
 * ```
 */
export function digestsOf(bytes: Uint8Array, normalised: NormalisedText): TextDigests {
  return { sha256: toHex(sha256(bytes)), normalisedSha256: toHex(sha256(utf8OfCodePoints(normalised.codePoints))) };
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
  return digestsOf(bytes, normaliseForShingling(decodeText(bytes)));
}
