import { InvalidInputError } from '../../errors.js';
import { decodeText } from './decode-text.js';
import { minhashOfCodePoints, type MinHashSignature } from './minhash.js';
import { normalisedCodePoints } from './normalise-for-shingling.js';
import { digestsOf } from './text-digests.js';
import { winnowCodePoints, type WinnowFingerprints } from './winnow.js';

/** Every fingerprint of a text work, as `fingerprintText` computes them. */
export interface TextFingerprints {
  /** SHA-256 of the bytes, lowercase hex (`sha256`). */
  readonly sha256: string;
  /** SHA-256 of the normalised text's UTF-8, lowercase hex (`sha256-text-nfkc/1`). */
  readonly normalisedSha256: string;
  /** Length of the normalised text, in characters (code points). */
  readonly characters: number;
  /** MinHash signature for near-duplicate search (`minhash-oph-c5-128/1`). */
  readonly minhash: MinHashSignature;
  /** Winnowing fingerprints for containment search (`winnow-c13-w16/1`). */
  readonly winnow: WinnowFingerprints;
}

/** Options of `fingerprintText`. */
export interface TextFingerprintOptions {
  /**
   * SHA-256 to use: noble's pure-JavaScript one by default, which runs anywhere; Node's native `crypto` gives the same
   * digests several times faster, and the scanner, which hashes millions of documents, passes it.
   */
  readonly sha256?: (data: Uint8Array) => Uint8Array;
}

/**
 * Fingerprints a text work from its bytes: decodes them as UTF-8 (`decodeText`), normalises once
 * (`normaliseForShingling`), and computes the two digests, the MinHash signature and the winnowing fingerprints.
 * Throws `InvalidInputError('TEXT_INVALID')` for bytes that are not UTF-8 and for a text with nothing left after
 * normalisation (only spaces, punctuation, symbols or controls), which no fingerprint could tell apart.
 *
 * @example
 * ```ts
 * const fp = fingerprintText(new TextEncoder().encode(novel));
 * serialiseTextFingerprint({ algorithm: 'winnow-c13-w16/1', fingerprints: fp.winnow })
 * ```
 */
export function fingerprintText(bytes: Uint8Array, options: TextFingerprintOptions = {}): TextFingerprints {
  // The code points only (no offsets), in the normaliser's scratch array: every use below reads them before anything
  // normalises again, and none keeps them.
  const codePoints = normalisedCodePoints(decodeText(bytes));
  const characters = codePoints.length;
  if (characters === 0)
    throw new InvalidInputError('TEXT_INVALID', 'text has no characters left after normalisation', [
      { path: '(root)', message: 'nothing but whitespace, punctuation, symbols or control characters' },
    ]);
  const { sha256, normalisedSha256 } = digestsOf(bytes, codePoints, options.sha256);
  return {
    sha256,
    normalisedSha256,
    characters,
    minhash: minhashOfCodePoints(codePoints),
    winnow: winnowCodePoints(codePoints),
  };
}
