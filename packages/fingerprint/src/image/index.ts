/**
 * Images in `@heoga/fingerprint`: decoding with sharp into the pixels PDQ hashes, and the PDQ of a file.
 */

export { IMAGE_DECODE_LIMITS, PDQ_INPUT_SIZE, decodeImageForPdq } from './decode-image.js';
export type { DecodeImageOptions, DecodedImage } from './decode-image.js';

export { fingerprintImage } from './fingerprint-image.js';
export type { ImageFingerprint } from './fingerprint-image.js';
