import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../tlog/encoding.js';
import { parsePpm, writePpm, type ImagePixels } from './index.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = concatBytes;

const rgbImage = fc
  .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }) })
  .chain(({ width, height }) =>
    fc
      .uint8Array({ minLength: width * height * 3, maxLength: width * height * 3 })
      .map((data) => ({ width, height, channels: 3 as const, data })),
  );

describe('parsePpm / writePpm', () => {
  it('parse(write(x)) gives x back for every RGB image', () => {
    fc.assert(
      fc.property(rgbImage, (image) => {
        const parsed = parsePpm(writePpm(image));
        expect(parsed).toEqual({ ok: true, value: image });
      }),
    );
  });

  it('writes grey as R = G = B and drops alpha', () => {
    const grey: ImagePixels = { width: 2, height: 1, channels: 1, data: new Uint8Array([7, 200]) };
    expect(parsePpm(writePpm(grey))).toMatchObject({
      ok: true,
      value: { data: new Uint8Array([7, 7, 7, 200, 200, 200]) },
    });
    const rgba: ImagePixels = {
      width: 1,
      height: 2,
      channels: 4,
      data: new Uint8ClampedArray([1, 2, 3, 4, 5, 6, 7, 8]),
    };
    expect(parsePpm(writePpm(rgba))).toMatchObject({ ok: true, value: { data: new Uint8Array([1, 2, 3, 5, 6, 7]) } });
  });

  it('reads comments and any whitespace in the header, and a raster starting with a whitespace byte', () => {
    const raster = new Uint8Array([0x0a, 0x20, 0x23, 1, 2, 3]);
    const parsed = parsePpm(concat(ascii('P6 # a comment\n2\t# another\r\n 1\n255\n'), raster));
    expect(parsed).toEqual({ ok: true, value: { width: 2, height: 1, channels: 3, data: raster } });
  });

  it('refuses what is not one 8-bit P6 image of the size its header says', () => {
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['ASCII P3', ascii('P3\n1 1\n255\n0 0 0\n')],
      ['P5 grey', concat(ascii('P5\n1 1\n255\n'), new Uint8Array(1))],
      ['16-bit', concat(ascii('P6\n1 1\n65535\n'), new Uint8Array(6))],
      ['maxval 1', concat(ascii('P6\n1 1\n1\n'), new Uint8Array(3))],
      ['zero width', ascii('P6\n0 1\n255\n')],
      ['no separator', concat(ascii('P61 1\n255\n'), new Uint8Array(3))],
      ['negative', concat(ascii('P6\n-1 1\n255\n'), new Uint8Array(3))],
      ['too many digits', concat(ascii('P6\n0000000001 1\n255\n'), new Uint8Array(3))],
      ['truncated', concat(ascii('P6\n2 2\n255\n'), new Uint8Array(11))],
      ['trailing bytes', concat(ascii('P6\n2 2\n255\n'), new Uint8Array(13))],
      ['no byte after maxval', ascii('P6\n1 1\n255')],
      ['comment hiding maxval', ascii('P6\n1 1 #255\n')],
      ['endless comment', concat(ascii('P6\n#'), new Uint8Array(10_000).fill(0x41))],
    ];
    for (const [name, bytes] of cases) {
      const parsed = parsePpm(bytes);
      expect(parsed.ok, name).toBe(false);
      if (!parsed.ok) expect(parsed.issues.length, name).toBeGreaterThan(0);
    }
  });

  it('refuses an image over the pixel limit from its header alone', () => {
    const parsed = parsePpm(ascii('P6\n100000 100000\n255\n'));
    expect(parsed).toMatchObject({ ok: false, issues: [{ path: '(root)' }] });
    expect(parsePpm(concat(ascii('P6\n3 3\n255\n'), new Uint8Array(27)), { maxPixels: 8 }).ok).toBe(false);
    expect(parsePpm(concat(ascii('P6\n3 3\n255\n'), new Uint8Array(27)), { maxPixels: 9 }).ok).toBe(true);
  });

  it('never throws, and rejects random bytes and random mutations of a valid file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(parsePpm(bytes).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(rgbImage, fc.nat(), fc.integer({ min: 1, max: 255 }), (image, at, flip) => {
        const bytes = writePpm(image);
        const headerLength = bytes.length - image.data.length;
        // Truncating, extending or changing a header byte to another value never parses as the same image.
        expect(parsePpm(bytes.subarray(0, at % bytes.length)).ok).toBe(false);
        expect(parsePpm(concat(bytes, new Uint8Array([0]))).ok).toBe(false);
        const mutated = bytes.slice();
        const index = at % headerLength;
        mutated[index] = (bytes[index]! + flip) & 255;
        const parsed = parsePpm(mutated);
        // Only a whitespace byte turned into another whitespace byte leaves the image the same.
        const isSpace = (b: number): boolean => [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20].includes(b);
        if (parsed.ok && !(isSpace(bytes[index]!) && isSpace(mutated[index]))) {
          expect(parsed.value).not.toEqual(image);
        }
      }),
    );
  });
});
