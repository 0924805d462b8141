/**
 * Decoded pixels as the image fingerprints take them: 8-bit samples, row-major, interleaved channels. It is the
 * shape of a browser canvas `ImageData` (`channels: 4`) and of sharp's raw output (`channels: 1 | 3 | 4`), so both
 * sides of heoga hash the same bytes the same way.
 */

import { InvalidInputError } from '../../errors.js';

/** Grey (1), RGB (3) or RGBA (4) samples per pixel. */
export type PixelChannels = 1 | 3 | 4;

/**
 * An 8-bit image in memory: `data[(y * width + x) * channels + c]`. A canvas `ImageData` fits as is, with
 * `channels: 4`.
 *
 * @example
 * ```ts
 * const pixels: ImagePixels = { width: 2, height: 1, channels: 3, data: new Uint8Array([255, 0, 0, 0, 0, 255]) };
 * ```
 */
export interface ImagePixels {
  readonly width: number;
  readonly height: number;
  readonly channels: PixelChannels;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/**
 * The most pixels (width × height) the image algorithms accept: 64 megapixels (8192 × 8192). PDQ expects an image
 * already fitted inside 512 × 512 (matching.md §2.2); the limit is there so that a hostile caller cannot make core
 * allocate gigabytes of float buffers (PDQ needs 8 bytes per pixel).
 *
 * @example
 * ```ts
 * if (width * height > IMAGE_MAX_PIXELS) console.error('downscale first');
 * ```
 */
export const IMAGE_MAX_PIXELS = 64 * 1024 * 1024;

/**
 * Checks that `pixels` is a well-formed image of at most `maxPixels` pixels, or throws `InvalidInputError`:
 * `IMAGE_TOO_LARGE` above the limit, `IMAGE_INVALID` for anything else (dimensions that are not positive integers,
 * channels other than 1, 3 or 4, data that is not 8-bit or whose length is not width × height × channels).
 *
 * @example
 * ```ts
 * assertImagePixels({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) }); // passes
 * ```
 */
export function assertImagePixels(pixels: ImagePixels, maxPixels: number = IMAGE_MAX_PIXELS): void {
  // The caller may be plain JavaScript or a browser page: check what TypeScript cannot.
  const { width, height, channels, data } = (pixels ?? {}) as Partial<ImagePixels>;
  const invalid = (path: string, message: string): never => {
    throw new InvalidInputError('IMAGE_INVALID', `invalid image: ${path} ${message}`, [{ path, message }]);
  };
  if (!Number.isSafeInteger(width) || (width as number) < 1) invalid('width', 'must be a positive integer');
  if (!Number.isSafeInteger(height) || (height as number) < 1) invalid('height', 'must be a positive integer');
  if (channels !== 1 && channels !== 3 && channels !== 4) invalid('channels', 'must be 1, 3 or 4');
  if (!(data instanceof Uint8Array) && !(data instanceof Uint8ClampedArray)) {
    invalid('data', 'must be a Uint8Array or Uint8ClampedArray');
  }
  const count = (width as number) * (height as number);
  if (count > maxPixels) {
    const message = `${width}×${height} is ${count} pixels, over the limit of ${maxPixels}`;
    throw new InvalidInputError('IMAGE_TOO_LARGE', `image too large: ${message}`, [{ path: '(root)', message }]);
  }
  const expected = count * (channels as number);
  if ((data as Uint8Array).length !== expected) {
    invalid('data', `has ${(data as Uint8Array).length} bytes, expected width × height × channels = ${expected}`);
  }
}
