/**
 * Audio fingerprints in `@heoga/core`: Chromaprint's compressed format and the AcoustID-style comparison, pure code
 * that runs in the browser too. Computing a fingerprint from audio is `@heoga/fingerprint`'s job (ffmpeg and
 * Chromaprint's WebAssembly). The lead re-exports these names from the package index.
 */
export {
  CHROMAPRINT_TEST2,
  CHROMAPRINT_ITEM_SECONDS,
  CHROMAPRINT_CODEC_LIMITS,
  compressChromaprint,
  decompressChromaprint,
} from './chromaprint-codec.js';
export type { DecompressedChromaprint } from './chromaprint-codec.js';
export { compareChromaprint } from './compare-chromaprint.js';
export type { ChromaprintCompareOptions, ChromaprintComparison } from './compare-chromaprint.js';
