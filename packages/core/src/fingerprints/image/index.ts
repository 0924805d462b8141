/**
 * Image fingerprints in core: PDQ (matching.md §2) on decoded pixels, its `pdq/1` text form, and a binary PPM
 * reader and writer. Pure: the browser hashes canvas `ImageData`, Node hashes sharp's raw output.
 */

export { IMAGE_MAX_PIXELS, assertImagePixels } from './pixels.js';
export type { ImagePixels, PixelChannels } from './pixels.js';

export {
  PDQ_HASH_BYTES,
  PDQ_MATCH_THRESHOLD,
  PDQ_MIN_QUALITY,
  PDQ_VARIANTS,
  comparePdq,
  hammingDistance,
  pdqFromPixels,
  pdqHashFromHex,
  pdqHashToHex,
} from './pdq.js';
export type { PdqComparison, PdqDihedral, PdqFingerprint, PdqHash, PdqResult, PdqVariant } from './pdq.js';

export { PDQ_ALGORITHM, parsePdq, serialisePdq } from './pdq-serialise.js';

export { parsePpm, writePpm } from './ppm.js';
export type { PpmImage } from './ppm.js';
