/**
 * The image fingerprint of a file on the creator's machine: sharp decoding (decode-image.ts) then core's PDQ.
 */

import { pdqFromPixels, type PdqResult } from '@heoga/core';
import { decodeImageForPdq, type DecodeImageOptions } from './decode-image.js';

/** PDQ of an image file, with the size it was hashed at and the size stored in the file. */
export interface ImageFingerprint {
  readonly pdq: PdqResult;
  /** The decoded size PDQ saw (fitted inside 512 × 512, EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
  readonly source: { readonly width: number; readonly height: number; readonly format: string };
}

/**
 * Decodes an image file with {@link decodeImageForPdq} and computes its PDQ hash, quality and dihedral variants.
 * Check `pdq.quality` against `PDQ_MIN_QUALITY` before relying on the hash.
 *
 * @throws FingerprintError `DECODE_FAILED`, `FILE_TOO_LARGE` or `DECODE_TIMEOUT` (see `decodeImageForPdq`).
 * @example
 * ```ts
 * const { pdq } = await fingerprintImage(await readFile('photo.jpg'));
 * console.log(serialisePdq(pdq)); // 'd8f8f0ce…9b22:100'
 * ```
 */
export async function fingerprintImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<ImageFingerprint> {
  const image = await decodeImageForPdq(bytes, options);
  return { pdq: pdqFromPixels(image), width: image.width, height: image.height, source: image.source };
}
