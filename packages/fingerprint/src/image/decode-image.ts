/**
 * Image decoding for PDQ, with sharp (libvips): the canonical pre-processing of matching.md §2.2. The bytes are
 * hostile (a creator's upload, a crawled file), so the header is checked against pixel and byte limits before
 * anything is decoded, and every decoder failure becomes a `FingerprintError`.
 */

import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { FingerprintError } from '../errors.js';

/**
 * The side PDQ expects images to fit inside (matching.md §2.2: the reference tools pre-scale to 512).
 *
 * @example
 * ```ts
 * const { width, height } = await decodeImageForPdq(bytes); // both ≤ PDQ_INPUT_SIZE
 * ```
 */
export const PDQ_INPUT_SIZE = 512;

/**
 * The most pixels (width × height, read from the header) an image may declare before it is refused unseen:
 * 100 megapixels, above any camera photo (a 48-megapixel phone photo is 8000 × 6000) and far below what a
 * decompression bomb claims. sharp's own `limitInputPixels` is set to the same value.
 *
 * @example
 * ```ts
 * await decodeImageForPdq(bytes, { maxInputPixels: IMAGE_DECODE_LIMITS.maxInputPixels / 4 });
 * ```
 */
export const IMAGE_DECODE_LIMITS = Object.freeze({
  maxInputPixels: 100_000_000,
  /** The most bytes of file accepted: 256 MiB. */
  maxBytes: 256 * 1024 * 1024,
  /** How long libvips may work on one image before it is stopped (`DECODE_TIMEOUT`). */
  timeoutSeconds: 30,
});

/** Options of {@link decodeImageForPdq}; each defaults to {@link IMAGE_DECODE_LIMITS}. */
export interface DecodeImageOptions {
  readonly maxInputPixels?: number;
  readonly maxBytes?: number;
  readonly timeoutSeconds?: number;
}

/** RGB pixels ready for `pdqFromPixels`, with what the file itself said. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
  /** width × height × 3 bytes, row-major RGB, sRGB. */
  readonly data: Uint8Array;
  /** The image as stored, before orientation and scaling. */
  readonly source: { readonly width: number; readonly height: number; readonly format: string };
}

/**
 * Decodes an image file (JPEG, PNG, WebP, GIF, TIFF, AVIF/HEIF, SVG: whatever this sharp build reads) into the
 * pixels PDQ hashes, the same way every time:
 * 1. refuse before decoding when the header declares more than `maxInputPixels` pixels or the file is over
 *    `maxBytes` (`FILE_TOO_LARGE`);
 * 2. apply the EXIF orientation, so a photo hashes as it is seen;
 * 3. convert to sRGB (CMYK, grey, 16-bit and ICC-tagged images included), 8 bits per sample;
 * 4. **drop alpha** without compositing, as the reference tools do (PIL `convert('RGB')`, ImageMagick's PPM
 *    output), so hashes stay comparable with theirs;
 * 5. shrink to fit inside 512 × 512 keeping the aspect ratio (`fit: 'inside'`, never enlarged), as
 *    matching.md §2.2 decides.
 *
 * Decoding is strict (`failOn: 'warning'`): a truncated or corrupt file is refused rather than hashed half-grey.
 *
 * @throws FingerprintError `DECODE_FAILED` for empty, truncated, corrupt or non-image bytes; `FILE_TOO_LARGE`
 *   over the limits; `DECODE_TIMEOUT` when libvips runs past `timeoutSeconds`.
 * @example
 * ```ts
 * const image = await decodeImageForPdq(await readFile('photo.jpg'));
 * const { hash, quality } = pdqFromPixels(image);
 * ```
 */
export async function decodeImageForPdq(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<DecodedImage> {
  const maxInputPixels = options.maxInputPixels ?? IMAGE_DECODE_LIMITS.maxInputPixels;
  const maxBytes = options.maxBytes ?? IMAGE_DECODE_LIMITS.maxBytes;
  const timeoutSeconds = options.timeoutSeconds ?? IMAGE_DECODE_LIMITS.timeoutSeconds;
  if (!(bytes instanceof Uint8Array)) throw new FingerprintError('DECODE_FAILED', 'expected the file as bytes');
  if (bytes.length === 0) throw new FingerprintError('DECODE_FAILED', 'the file is empty');
  if (bytes.length > maxBytes) {
    throw new FingerprintError('FILE_TOO_LARGE', `the file is ${bytes.length} bytes, over the limit of ${maxBytes}`);
  }
  // sharp takes any TypedArray and reads it in place; no copy.
  const input = { limitInputPixels: maxInputPixels, failOn: 'warning' as const };

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, input).metadata();
  } catch (cause) {
    throw decodeError(cause);
  }
  const { width, height, format } = metadata;
  if (width === undefined || height === undefined || width < 1 || height < 1) {
    throw new FingerprintError('DECODE_FAILED', 'the image header declares no size');
  }
  if (width * height > maxInputPixels) {
    throw new FingerprintError(
      'FILE_TOO_LARGE',
      `the image is ${width}×${height} = ${width * height} pixels, over the limit of ${maxInputPixels}`,
    );
  }

  let output: { data: Buffer; info: OutputInfo };
  try {
    output = await sharp(bytes, input)
      .autoOrient() // apply the EXIF orientation
      .toColourspace('srgb')
      .removeAlpha()
      .resize(PDQ_INPUT_SIZE, PDQ_INPUT_SIZE, { fit: 'inside', withoutEnlargement: true })
      .timeout({ seconds: timeoutSeconds })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw decodeError(cause);
  }
  const { info, data } = output;
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new FingerprintError(
      'DECODE_FAILED',
      `the decoder gave ${info.channels} channels of ${data.length} bytes for ${info.width}×${info.height}`,
    );
  }
  return {
    width: info.width,
    height: info.height,
    channels: 3,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    source: { width, height, format: format ?? 'unknown' },
  };
}

/** sharp reports every failure as a plain Error; its message is the only way to tell the limits apart. */
function decodeError(cause: unknown): FingerprintError {
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/exceeds pixel limit/i.test(message)) {
    return new FingerprintError('FILE_TOO_LARGE', `the image is over the pixel limit: ${message}`, { cause });
  }
  if (/timeout/i.test(message)) {
    return new FingerprintError('DECODE_TIMEOUT', `decoding the image took too long: ${message}`, { cause });
  }
  return new FingerprintError('DECODE_FAILED', `the image could not be decoded: ${message}`, { cause });
}
