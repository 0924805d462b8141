/**
 * Text fingerprints (research/matching.md §1): strict UTF-8 decoding, normalisation for shingling, exact digests,
 * MinHash with LSH banding for near-duplicates, winnowing for excerpts, and their stable serialisation. Listed by
 * name for the package index to re-export.
 */
export { decodeText } from './decode-text.js';
export {
  findContainment,
  type ContainmentOptions,
  type ContainmentResult,
  type ContainmentSpan,
} from './find-containment.js';
export { fingerprintText, type TextFingerprints, type TextFingerprintOptions } from './fingerprint-text.js';
export { DEFAULT_LSH_BANDING, lshBandKeys, type LshBanding } from './lsh-band-keys.js';
export {
  estimateJaccard,
  MINHASH_SHINGLE,
  MINHASH_SIZE,
  minhash,
  minhashClassic,
  type MinHashSignature,
} from './minhash.js';
export { normaliseForShingling, type NormalisedText } from './normalise-for-shingling.js';
export {
  MAX_WINNOW_FINGERPRINTS,
  parseTextFingerprint,
  serialiseTextFingerprint,
  serialiseTextFingerprints,
  TEXT_FINGERPRINT_ALGORITHMS,
  type SerialisedTextFingerprint,
  type TextFingerprint,
  type TextFingerprintAlgorithm,
} from './serialise-text-fingerprint.js';
export { textDigests, type TextDigests } from './text-digests.js';
export { WINNOW_K, WINNOW_W, winnow, type WinnowFingerprints } from './winnow.js';
