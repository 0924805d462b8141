import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { comparePdq } from '@heoga/core';
import { decodeImageForPdq, fingerprintImage, IMAGE_DECODE_LIMITS, PDQ_INPUT_SIZE } from '../src/image/index.js';
import { FingerprintError } from '../src/errors.js';
import { smoothPicture } from './image-material.js';
import { concatBytes } from '../../core/src/tlog/encoding.js';

const raw = (width: number, height: number, channels: 1 | 3 | 4 = 3) => ({ raw: { width, height, channels } });
const encodeJpeg = (width: number, height: number): Promise<Buffer> =>
  sharp(smoothPicture(width, height), raw(width, height)).jpeg({ quality: 85 }).toBuffer();

/** A PNG whose header declares `width` × `height` but holds almost nothing: a decompression bomb's shape. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = (type: string, body: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + body.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, body.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(body, 8);
    view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', new Uint8Array(0)),
  ];
  return concatBytes(...parts);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return e instanceof FingerprintError ? e.code : `not a FingerprintError: ${String(e)}`;
  }
}

describe('decodeImageForPdq', () => {
  it('fits a large image inside 512 × 512 keeping its aspect ratio, as 8-bit RGB', async () => {
    const image = await decodeImageForPdq(await encodeJpeg(1600, 1004));
    expect(PDQ_INPUT_SIZE).toBe(512);
    expect(image).toMatchObject({
      width: 512,
      height: 321,
      channels: 3,
      source: { width: 1600, height: 1004, format: 'jpeg' },
    });
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(image.data.length).toBe(512 * 321 * 3);
  });

  it('never enlarges a small image', async () => {
    const image = await decodeImageForPdq(await encodeJpeg(40, 30));
    expect([image.width, image.height]).toEqual([40, 30]);
  });

  it('applies the EXIF orientation, so a photo hashes as it is seen', async () => {
    const upright = await encodeJpeg(300, 200);
    // The same pixels stored turned 90° anticlockwise, with orientation 6 ("rotate 90° clockwise to view").
    const stored = await sharp(upright).rotate(-90).jpeg({ quality: 85 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const seen = await fingerprintImage(stored);
    expect([seen.width, seen.height]).toEqual([300, 200]);
    expect(seen.source).toMatchObject({ width: 200, height: 300 });
    const comparison = comparePdq(seen.pdq, (await fingerprintImage(upright)).pdq);
    expect(comparison).toMatchObject({ variant: 'original', matched: true });
  });

  it('converts grey, 16-bit and CMYK images to 8-bit sRGB', async () => {
    const grey = await sharp(smoothPicture(64, 48), raw(64, 48)).greyscale().png().toBuffer();
    const sixteen = await sharp(smoothPicture(64, 48), raw(64, 48)).toColourspace('rgb16').png().toBuffer();
    const cmyk = await sharp(smoothPicture(64, 48), raw(64, 48)).toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(sixteen).metadata()).depth).toBe('ushort');
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    for (const bytes of [grey, sixteen, cmyk]) {
      const image = await decodeImageForPdq(bytes);
      expect(image).toMatchObject({ width: 64, height: 48, channels: 3 });
      expect(image.data.length).toBe(64 * 48 * 3);
    }
  });

  it('drops alpha without compositing: fully transparent pixels keep their colour', async () => {
    const rgba = new Uint8Array(20 * 10 * 4);
    const rgb = smoothPicture(20, 10);
    for (let p = 0; p < 200; p++) rgba.set([rgb[p * 3]!, rgb[p * 3 + 1]!, rgb[p * 3 + 2]!, p % 2 ? 0 : 128], p * 4);
    const png = await sharp(rgba, raw(20, 10, 4))
      .png()
      .toBuffer();
    const image = await decodeImageForPdq(png);
    expect(image.data).toEqual(rgb);
  });

  it('refuses a header that declares more pixels than the limit, before decoding (FILE_TOO_LARGE)', async () => {
    expect(IMAGE_DECODE_LIMITS.maxInputPixels).toBe(100_000_000);
    // 60000 × 60000 = 3.6 gigapixels declared in a 70-byte file.
    const bomb = pngHeaderOnly(60_000, 60_000);
    expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(60_000);
    expect(await codeOf(decodeImageForPdq(bomb))).toBe('FILE_TOO_LARGE');
    const jpeg = await encodeJpeg(100, 100);
    expect(await codeOf(decodeImageForPdq(jpeg, { maxInputPixels: 100 * 100 - 1 }))).toBe('FILE_TOO_LARGE');
    expect(await codeOf(decodeImageForPdq(jpeg, { maxInputPixels: 100 * 100 }))).toBe('resolved');
    expect(await codeOf(decodeImageForPdq(jpeg, { maxBytes: jpeg.length - 1 }))).toBe('FILE_TOO_LARGE');
  });

  it('refuses empty, non-image and corrupt bytes with DECODE_FAILED', async () => {
    const png = await sharp(smoothPicture(32, 32), raw(32, 32)).png().toBuffer();
    const corrupt = Uint8Array.from(png);
    corrupt.fill(0xff, 60, 90); // inside the compressed pixel data
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode('<html>not an image</html>'), corrupt]) {
      expect(await codeOf(decodeImageForPdq(bytes))).toBe('DECODE_FAILED');
    }
    expect(await codeOf(decodeImageForPdq('photo.jpg' as unknown as Uint8Array))).toBe('DECODE_FAILED');
  });

  it('gives DECODE_FAILED, never another error, for random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        expect(await codeOf(decodeImageForPdq(bytes))).toBe('DECODE_FAILED');
      }),
      { numRuns: 60 },
    );
  });

  it('gives DECODE_FAILED, never another error, for every kind of truncation of a real JPEG', async () => {
    const jpeg = await encodeJpeg(300, 200);
    expect(await codeOf(decodeImageForPdq(jpeg))).toBe('resolved');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: jpeg.length - 1 }), async (length) => {
        expect(await codeOf(decodeImageForPdq(jpeg.subarray(0, length)))).toBe('DECODE_FAILED');
      }),
      { numRuns: 60, examples: [[0], [1], [2], [jpeg.length - 2], [jpeg.length - 1]] },
    );
  });
});

describe('fingerprintImage', () => {
  it('gives the PDQ of the decoded pixels with both sizes, and a mirrored copy matches through flipY', async () => {
    const original = await fingerprintImage(await encodeJpeg(800, 500));
    expect(original).toMatchObject({ width: 512, height: 320, source: { width: 800, height: 500, format: 'jpeg' } });
    expect(original.pdq.hash).toHaveLength(32);
    expect(original.pdq.quality).toBeGreaterThanOrEqual(50);
    const mirrored = await fingerprintImage(
      await sharp(await encodeJpeg(800, 500))
        .flop()
        .png()
        .toBuffer(),
    );
    expect(comparePdq(mirrored.pdq, original.pdq)).toMatchObject({ variant: 'flipY', matched: true });
  });
});
