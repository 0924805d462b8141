/**
 * Binary PPM (netpbm `P6`, 8-bit): the simplest lossless RGB container, read natively by the PDQ reference tool.
 * heoga uses it to feed identical pixels to the reference and to our PDQ (the conformance vectors, the browser
 * test). Only `maxval 255` is accepted: the algorithms take 8-bit samples.
 */

import type { InputIssue, ParseResult } from '../../errors.js';
import { assertImagePixels, IMAGE_MAX_PIXELS, type ImagePixels } from './pixels.js';

/** A decoded PPM: always RGB. */
export interface PpmImage extends ImagePixels {
  readonly channels: 3;
  readonly data: Uint8Array;
}

// A dimension or maxval longer than this many digits is refused before it is converted.
const MAX_DIGITS = 9;
// The header is a few dozen bytes; comments may make it longer, but never this long.
const MAX_HEADER_BYTES = 4096;

const isWhitespace = (b: number): boolean =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/**
 * Parses a binary PPM (`P6`, maxval 255) into RGB pixels; never throws. Hostile input is refused with an issue:
 * anything but `P6`, dimensions that are not positive decimal integers, more than `maxPixels` pixels (64 megapixels
 * by default, checked before any pixel is copied), a maxval other than 255, a header over 4 KiB, a raster shorter
 * or longer than width × height × 3 bytes. Comments (`#` to end of line) are allowed in the header (netpbm PPM
 * spec); a file holding several images is refused.
 *
 * @example
 * ```ts
 * const parsed = parsePpm(bytes);
 * if (parsed.ok) pdqFromPixels(parsed.value);
 * else console.error(parsed.issues);
 * ```
 */
export function parsePpm(bytes: Uint8Array, options: { maxPixels?: number } = {}): ParseResult<PpmImage> {
  const maxPixels = options.maxPixels ?? IMAGE_MAX_PIXELS;
  const fail = (path: string, message: string): ParseResult<PpmImage> => ({
    ok: false,
    issues: [{ path, message } satisfies InputIssue],
  });
  if (!(bytes instanceof Uint8Array)) return fail('(root)', 'expected bytes (a Uint8Array)');
  if (bytes.length < 2 || bytes[0] !== 0x50 || bytes[1] !== 0x36) return fail('magic', 'not a binary PPM (P6)');

  let at = 2;
  const headerEnd = Math.min(bytes.length, MAX_HEADER_BYTES);
  // netpbm: whitespace (blanks, TABs, CRs, LFs) and comments from '#' to the next CR or LF separate the fields.
  const skipSeparators = (): boolean => {
    const start = at;
    while (at < headerEnd) {
      const b = bytes[at]!;
      if (isWhitespace(b)) at++;
      else if (b === 0x23) {
        while (at < headerEnd && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++;
      } else break;
    }
    return at > start;
  };
  const readNumber = (): number | undefined => {
    const start = at;
    let value = 0;
    while (at < headerEnd && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) {
      if (at - start >= MAX_DIGITS) return undefined;
      value = value * 10 + (bytes[at]! - 0x30);
      at++;
    }
    return at === start ? undefined : value;
  };

  const fields: number[] = [];
  for (const name of ['width', 'height', 'maxval']) {
    if (!skipSeparators()) return fail(name, `expected whitespace before ${name}`);
    const value = readNumber();
    if (value === undefined) return fail(name, `${name} is not a decimal number of at most ${MAX_DIGITS} digits`);
    if (value < 1) return fail(name, `${name} must be at least 1`);
    fields.push(value);
  }
  const [width, height, maxval] = fields as [number, number, number];
  if (maxval !== 255) return fail('maxval', `only 8-bit PPM (maxval 255) is supported, not ${maxval}`);
  // Exactly one whitespace byte separates maxval from the raster (the raster may start with a whitespace value).
  if (at >= headerEnd || !isWhitespace(bytes[at]!)) return fail('maxval', 'expected one whitespace byte after maxval');
  at++;
  if (width * height > maxPixels) {
    return fail('(root)', `${width}×${height} is ${width * height} pixels, over the limit of ${maxPixels}`);
  }
  const rasterBytes = width * height * 3;
  const available = bytes.length - at;
  if (available < rasterBytes) return fail('raster', `truncated: ${available} of ${rasterBytes} raster bytes`);
  if (available > rasterBytes) return fail('raster', `${available - rasterBytes} bytes after the raster`);
  return { ok: true, value: { width, height, channels: 3, data: bytes.slice(at, at + rasterBytes) } };
}

/**
 * Writes pixels as a binary PPM (`P6`, maxval 255), the smallest header (`P6\n<w> <h>\n255\n`). Grey is written as
 * R = G = B; the alpha of RGBA is dropped. `parsePpm(writePpm(x))` gives `x` back for RGB input.
 *
 * @throws InvalidInputError `IMAGE_INVALID` / `IMAGE_TOO_LARGE` for malformed pixels (see `assertImagePixels`).
 * @example
 * ```ts
 * const ppm = writePpm({ width: 1, height: 1, channels: 3, data: new Uint8Array([255, 0, 0]) });
 * ```
 */
export function writePpm(pixels: ImagePixels): Uint8Array {
  assertImagePixels(pixels, IMAGE_MAX_PIXELS);
  const { width, height, channels, data } = pixels;
  const header = Uint8Array.from(`P6\n${width} ${height}\n255\n`, (c) => c.charCodeAt(0)); // ASCII
  const count = width * height;
  const out = new Uint8Array(header.length + count * 3);
  out.set(header, 0);
  let o = header.length;
  if (channels === 3) {
    out.set(data, o);
    return out;
  }
  for (let p = 0, i = 0; p < count; p++, i += channels) {
    const r = data[i]!;
    out[o++] = r;
    out[o++] = channels === 1 ? r : data[i + 1]!;
    out[o++] = channels === 1 ? r : data[i + 2]!;
  }
  return out;
}
