import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../errors.js';
import {
  comparePdq,
  hammingDistance,
  IMAGE_MAX_PIXELS,
  pdqFromPixels,
  pdqHashFromHex,
  pdqHashToHex,
  PDQ_MATCH_THRESHOLD,
  PDQ_VARIANTS,
  type ImagePixels,
  type PdqResult,
} from './index.js';

const ZERO_HEX = '0'.repeat(64);

/** Small random images, with the channel count and data type a caller may pass. */
const image = (min = 1, max = 40): fc.Arbitrary<ImagePixels> =>
  fc
    .record({
      width: fc.integer({ min, max }),
      height: fc.integer({ min, max }),
      channels: fc.constantFrom(1 as const, 3 as const, 4 as const),
    })
    .chain(({ width, height, channels }) =>
      fc
        .uint8Array({ minLength: width * height * channels, maxLength: width * height * channels })
        .map((data) => ({ width, height, channels, data })),
    );

const hex = (r: PdqResult): string[] => [r.hash, ...Object.values(r.dihedral)].map(pdqHashToHex);

/** A smooth test picture (overlapping waves, in coordinates relative to the size) with real gradients. */
function picture(width: number, height: number, seed: number): ImagePixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const value =
        128 + 60 * Math.sin(u * (3 + seed) + seed) * Math.cos(v * 5) + 60 * Math.sin((u * 7 + v * 13) * (1 + seed / 4));
      const o = (y * width + x) * 3;
      data[o] = value;
      data[o + 1] = 255 - value;
      data[o + 2] = 64 + value / 2;
    }
  }
  return { width, height, channels: 3, data };
}

function expectInvalid(pixels: unknown, code: 'IMAGE_INVALID' | 'IMAGE_TOO_LARGE'): void {
  let caught: unknown;
  try {
    pdqFromPixels(pixels as ImagePixels);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidInputError);
  expect((caught as InvalidInputError).code).toBe(code);
}

describe('pdqFromPixels', () => {
  it('gives an all-zero hash with quality 0 under 5 px in either dimension, as the reference does', () => {
    for (const [width, height] of [
      [4, 100],
      [100, 4],
      [1, 1],
    ] as const) {
      const result = pdqFromPixels({ width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(90) });
      expect(result.quality).toBe(0);
      expect(hex(result)).toEqual(Array(8).fill(ZERO_HEX));
    }
    expect(pdqFromPixels(picture(5, 5, 1)).hash.some((b) => b !== 0)).toBe(true);
  });

  it('refuses malformed pixels with IMAGE_INVALID', () => {
    expectInvalid({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) }, 'IMAGE_INVALID');
    expectInvalid({ width: 2, height: 2, channels: 2, data: new Uint8Array(8) }, 'IMAGE_INVALID');
    expectInvalid({ width: 0, height: 2, channels: 1, data: new Uint8Array(0) }, 'IMAGE_INVALID');
    expectInvalid({ width: 2.5, height: 2, channels: 1, data: new Uint8Array(5) }, 'IMAGE_INVALID');
    expectInvalid({ width: 2, height: 2, channels: 1, data: [0, 0, 0, 0] }, 'IMAGE_INVALID');
    expectInvalid({ width: 2, height: 2, channels: 1, data: new Uint16Array(4) }, 'IMAGE_INVALID');
    expectInvalid(null, 'IMAGE_INVALID');
  });

  it('refuses more than 64 megapixels with IMAGE_TOO_LARGE, before looking at the data', () => {
    expect(IMAGE_MAX_PIXELS).toBe(8192 * 8192);
    expectInvalid({ width: 8193, height: 8192, channels: 4, data: new Uint8Array(0) }, 'IMAGE_TOO_LARGE');
    expectInvalid({ width: 2 ** 40, height: 2 ** 12, channels: 1, data: new Uint8Array(0) }, 'IMAGE_TOO_LARGE');
  });

  it('ignores alpha: RGBA hashes exactly as the same RGB, whatever the alpha', () => {
    fc.assert(
      fc.property(
        image(5, 30).filter((i) => i.channels === 3),
        fc.uint8Array({ minLength: 900, maxLength: 900 }),
        (rgb, alpha) => {
          const count = rgb.width * rgb.height;
          const rgba = new Uint8ClampedArray(count * 4);
          for (let p = 0; p < count; p++) {
            rgba.set(rgb.data.subarray(p * 3, p * 3 + 3), p * 4);
            rgba[p * 4 + 3] = alpha[p]!;
          }
          const withAlpha = pdqFromPixels({ ...rgb, channels: 4, data: rgba });
          expect(hex(withAlpha)).toEqual(hex(pdqFromPixels(rgb)));
          expect(withAlpha.quality).toBe(pdqFromPixels(rgb).quality);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives the same result for a Uint8Array, a Uint8ClampedArray and a view at an offset', () => {
    fc.assert(
      fc.property(image(1, 40), (pixels) => {
        const expected = pdqFromPixels(pixels);
        const clamped = pdqFromPixels({ ...pixels, data: new Uint8ClampedArray(pixels.data) });
        const padded = new Uint8Array(pixels.data.length + 7);
        padded.set(pixels.data, 5);
        const view = pdqFromPixels({ ...pixels, data: padded.subarray(5, 5 + pixels.data.length) });
        expect(hex(clamped)).toEqual(hex(expected));
        expect(hex(view)).toEqual(hex(expected));
        expect(expected.quality).toBeGreaterThanOrEqual(0);
        expect(expected.quality).toBeLessThanOrEqual(100);
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic across calls of different sizes (work buffers are reused, and large ones are not)', () => {
    const small = picture(64, 48, 1);
    const big = picture(1100, 1000, 2); // over the reused-buffer size
    const first = hex(pdqFromPixels(small));
    const bigFirst = hex(pdqFromPixels(big));
    expect(hex(pdqFromPixels(picture(512, 512, 3)))).not.toEqual(first);
    expect(hex(pdqFromPixels(small))).toEqual(first);
    expect(hex(pdqFromPixels(big))).toEqual(bigFirst);
  });

  it('hashes a 64 × 64 image (the pre-scaled video-frame case) without the blur', () => {
    const result = pdqFromPixels(picture(64, 64, 4));
    expect(result.quality).toBeGreaterThan(0);
    expect(comparePdq(pdqFromPixels(picture(128, 128, 4)), result).matched).toBe(true);
  });

  it('matches a mirrored or rotated copy of the pixels through the dihedral variants, and not through the hash', () => {
    const width = 320;
    const height = 200;
    const original = picture(width, height, 5);
    const transform = (w: number, h: number, source: (x: number, y: number) => number): ImagePixels => {
      const data = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          data.set(original.data.subarray(source(x, y) * 3, source(x, y) * 3 + 3), (y * w + x) * 3);
      return { width: w, height: h, channels: 3, data };
    };
    const registered = pdqFromPixels(original);
    expect(registered.quality).toBeGreaterThanOrEqual(50);
    const mirrored = pdqFromPixels(transform(width, height, (x, y) => y * width + (width - 1 - x)));
    expect(hammingDistance(mirrored.hash, registered.hash)).toBeGreaterThan(PDQ_MATCH_THRESHOLD);
    expect(comparePdq(mirrored, registered)).toMatchObject({ variant: 'flipY', matched: true });
    const upsideDown = pdqFromPixels(transform(width, height, (x, y) => (height - 1 - y) * width + x));
    expect(comparePdq(upsideDown, registered)).toMatchObject({ variant: 'flipX', matched: true });
    const half = pdqFromPixels(transform(width, height, (x, y) => (height - 1 - y) * width + (width - 1 - x)));
    expect(comparePdq(half, registered)).toMatchObject({ variant: 'rot180', matched: true });
    const transposed = pdqFromPixels(transform(height, width, (x, y) => x * width + y));
    expect(comparePdq(transposed, registered)).toMatchObject({ variant: 'flipPlus1', matched: true });
  });
});

describe('hammingDistance', () => {
  const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const naive = (a: Uint8Array, b: Uint8Array): number =>
    [...(BigInt(`0x${pdqHashToHex(a)}`) ^ BigInt(`0x${pdqHashToHex(b)}`)).toString(2)].filter((c) => c === '1').length;

  it('counts differing bits: zero on itself, symmetric, equal to a BigInt popcount', () => {
    fc.assert(
      fc.property(hash, hash, (a, b) => {
        expect(hammingDistance(a, a)).toBe(0);
        expect(hammingDistance(a, b)).toBe(hammingDistance(b, a));
        expect(hammingDistance(a, b)).toBe(naive(a, b));
      }),
    );
  });

  it('refuses anything but two 32-byte hashes with FINGERPRINT_INVALID', () => {
    for (const [a, b] of [
      [new Uint8Array(31), new Uint8Array(32)],
      [new Uint8Array(32), new Uint8Array(33)],
      ['00'.repeat(32), new Uint8Array(32)],
    ] as const) {
      expect(() => hammingDistance(a as Uint8Array, b)).toThrow(
        expect.objectContaining({ code: 'FINGERPRINT_INVALID' }) as Error,
      );
    }
  });
});

describe('pdqHashToHex / pdqHashFromHex', () => {
  it('round-trip every hash, and read upper-case hex too', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (hash) => {
        const text = pdqHashToHex(hash);
        expect(text).toMatch(/^[0-9a-f]{64}$/);
        expect(pdqHashFromHex(text)).toEqual(hash);
        expect(pdqHashFromHex(text.toUpperCase())).toEqual(hash);
      }),
    );
  });

  it('puts bit k = 16i + j (word i, bit j) where the reference prints it: words w[15] … w[0]', () => {
    const hash = pdqHashFromHex(`${'0'.repeat(63)}1`)!; // bit 0: word 0, bit 0
    expect(hash[31]).toBe(1);
    expect(pdqHashToHex(pdqHashFromHex(`8${'0'.repeat(63)}`)!)).toBe(`8${'0'.repeat(63)}`); // bit 255
  });

  it('rejects anything but 64 hex digits', () => {
    for (const bad of [
      '',
      '0'.repeat(63),
      '0'.repeat(65),
      `${'0'.repeat(63)}g`,
      ` ${'0'.repeat(63)}`,
      '+'.repeat(64),
    ]) {
      expect(pdqHashFromHex(bad)).toBeUndefined();
    }
    fc.assert(fc.property(fc.string(), (s) => void pdqHashFromHex(s)));
  });
});

describe('comparePdq', () => {
  const fingerprint = fc.record({
    hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    quality: fc.integer({ min: 0, max: 100 }),
  });

  it('matches only within 31 bits and when both qualities are at least 50; flags low quality as unreliable', () => {
    fc.assert(
      fc.property(fingerprint, fingerprint, (a, b) => {
        const result = comparePdq(a, b);
        expect(result.variant).toBe('original');
        expect(result.distance).toBe(hammingDistance(a.hash, b.hash));
        expect(result.unreliable).toBe(a.quality < 50 || b.quality < 50);
        expect(result.matched).toBe(!result.unreliable && result.distance <= 31);
      }),
    );
  });

  it('takes the best of the registered hash and its 7 variants', () => {
    const registered = pdqFromPixels(picture(200, 150, 5));
    for (const variant of PDQ_VARIANTS) {
      const hash = variant === 'original' ? registered.hash : registered.dihedral[variant];
      const result = comparePdq({ hash, quality: 100 }, registered);
      expect(result.distance).toBe(0);
      // Symmetric variants can coincide; the first one in PDQ_VARIANTS order is reported.
      const first = PDQ_VARIANTS.find(
        (v) => pdqHashToHex(v === 'original' ? registered.hash : registered.dihedral[v]) === pdqHashToHex(hash),
      );
      expect(result.variant).toBe(first);
    }
  });
});
