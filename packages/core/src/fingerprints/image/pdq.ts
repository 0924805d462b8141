/**
 * PDQ, Meta's 256-bit perceptual image hash (facebook/ThreatExchange `pdq/cpp`), step for step as matching.md §2.1
 * describes it, with the reference's single-precision float arithmetic reproduced operation by operation
 * (`Math.fround` and `Float32Array` stores), so that identical pixels give identical bits. The algorithm does not
 * downsample: callers fit the image inside 512 × 512 first (matching.md §2.2; `@heoga/fingerprint` does).
 */

import { InvalidInputError } from '../../errors.js';
import { toHex } from '../../tlog/encoding.js';
import { assertImagePixels, IMAGE_MAX_PIXELS, type ImagePixels } from './pixels.js';

/** A PDQ hash: 32 bytes, the 256-bit big-endian integer Σ 2^k over the set bits k (`pdqhashtypes.cpp`). */
export type PdqHash = Uint8Array;

/**
 * The 7 other dihedral transforms' hashes, derived from the same DCT block without re-hashing
 * (`dct16OriginalTo*` in `pdqhashing.cpp`). `rot90` is the hash of the image turned 90°, `flipX` of the image
 * mirrored top to bottom, `flipY` left to right, `flipPlus1` of the transpose, `flipMinus1` of the anti-transpose.
 */
export interface PdqDihedral {
  readonly rot90: PdqHash;
  readonly rot180: PdqHash;
  readonly rot270: PdqHash;
  readonly flipX: PdqHash;
  readonly flipY: PdqHash;
  readonly flipPlus1: PdqHash;
  readonly flipMinus1: PdqHash;
}

/** The name of one of the 8 dihedral transforms: the identity (`original`) and the 7 of {@link PdqDihedral}. */
export type PdqVariant = 'original' | keyof PdqDihedral;

/** Every {@link PdqVariant}, `original` first. */
export const PDQ_VARIANTS: readonly PdqVariant[] = Object.freeze([
  'original',
  'rot90',
  'rot180',
  'rot270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const);

/** A hash and its quality, as stored and sent (`pdq/1`); `dihedral` when the pixels were at hand. */
export interface PdqFingerprint {
  readonly hash: PdqHash;
  /** 0–100: how much gradient the image has. Below {@link PDQ_MIN_QUALITY} the hash is not reliable. */
  readonly quality: number;
  readonly dihedral?: PdqDihedral;
}

/** What {@link pdqFromPixels} computes: the hash, its quality and the 7 dihedral variants. */
export interface PdqResult extends PdqFingerprint {
  readonly dihedral: PdqDihedral;
}

/**
 * Hamming distance at or under which two PDQ hashes are the same picture (`pdq/README.md`,
 * `PDQ_CONFIDENT_MATCH_THRESHOLD = 31` in python-threatexchange). Unrelated photos are about 128 apart.
 *
 * @example
 * ```ts
 * const same = hammingDistance(a.hash, b.hash) <= PDQ_MATCH_THRESHOLD;
 * ```
 */
export const PDQ_MATCH_THRESHOLD = 31;

/**
 * Quality under which a hash is not used to decide a match (`QUALITY_THRESHOLD = 50` in python-threatexchange's
 * PDQ signal; `pdq/README.md` recommends discarding quality ≤ 49): flat images hash to near-noise.
 *
 * @example
 * ```ts
 * if (result.quality < PDQ_MIN_QUALITY) console.warn('too flat to fingerprint reliably');
 * ```
 */
export const PDQ_MIN_QUALITY = 50;

/** Bytes in a PDQ hash. */
export const PDQ_HASH_BYTES = 32;

// pdqhashing.cpp: images under 5 px in either dimension hash to zero with quality 0.
const MIN_HASHABLE_DIM = 5;
const DOWNSAMPLE = 64;
const DCT_SIZE = 16;
// Two X-then-Y passes of a box filter make a tent filter (PDQ_NUM_JAROSZ_XY_PASSES).
const JAROSZ_PASSES = 2;
// Float buffers up to this many pixels are kept between calls (8 MB); larger ones are allocated per call so that
// one huge image does not pin its memory for the life of the page.
const REUSED_BUFFER_PIXELS = 1 << 20;

const f32 = Math.fround;

// pdqhashing.cpp: the luma coefficients are `const float`, and each product with a uint8 is a float product;
// tabulating them per byte value is exact and saves two multiplications per pixel.
const LUMA_R = lumaTable(0.299);
const LUMA_G = lumaTable(0.587);
const LUMA_B = lumaTable(0.114);

function lumaTable(coefficient: number): Float64Array {
  const c = f32(coefficient);
  const table = new Float64Array(256);
  for (let v = 0; v < 256; v++) table[v] = f32(c * v);
  return table;
}

// pdqhashing.cpp `dct_matrix_64`: 16 × 64, row i = frequency i + 1 (the DC row is skipped),
// D[i][j] = float(√(2/64)) · cos(π/(2·64) · (i+1) · (2j+1)), stored as float.
const DCT_MATRIX = (() => {
  const m = new Float32Array(DCT_SIZE * DOWNSAMPLE);
  const scale = f32(Math.sqrt(2 / DOWNSAMPLE));
  for (let i = 0; i < DCT_SIZE; i++) {
    for (let j = 0; j < DOWNSAMPLE; j++) {
      m[i * DOWNSAMPLE + j] = scale * Math.cos((Math.PI / 2 / DOWNSAMPLE) * (i + 1) * (2 * j + 1));
    }
  }
  return m;
})();

// Fixed-size work buffers, reused by every call (the function is synchronous, so calls never overlap).
const block64 = new Float32Array(DOWNSAMPLE * DOWNSAMPLE);
const block16x64 = new Float32Array(DCT_SIZE * DOWNSAMPLE);
const block16 = new Float32Array(DCT_SIZE * DCT_SIZE);
const variantBlock = new Float32Array(DCT_SIZE * DCT_SIZE);
const sortScratch = new Float32Array(DCT_SIZE * DCT_SIZE);
const accumulators = new Float64Array(DOWNSAMPLE);
let reusedBuffer1 = new Float32Array(0);
let reusedBuffer2 = new Float32Array(0);

/**
 * Computes the PDQ hash, its quality and the 7 dihedral variants of an 8-bit image. Luma is 0.299 R + 0.587 G +
 * 0.114 B; grey input is used as is; **alpha is ignored** (the fourth channel of RGBA is skipped, not composited),
 * as the reference tools drop it. The image is hashed at the size given: fit it inside 512 × 512 first, as
 * `@heoga/fingerprint` does (matching.md §2.2). Images under 5 px in either dimension give an all-zero hash with
 * quality 0, as the reference does.
 *
 * @throws InvalidInputError `IMAGE_INVALID` when the dimensions, channels or data length are wrong;
 *   `IMAGE_TOO_LARGE` above {@link IMAGE_MAX_PIXELS} (64 megapixels).
 * @example
 * ```ts
 * const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, w, h);
 * const { hash, quality } = pdqFromPixels({ width, height, channels: 4, data });
 * pdqHashToHex(hash); // 'd8f8f0cce0f4a84f…9b22'
 * ```
 */
export function pdqFromPixels(pixels: ImagePixels): PdqResult {
  assertImagePixels(pixels, IMAGE_MAX_PIXELS);
  const { width, height } = pixels;
  if (width < MIN_HASHABLE_DIM || height < MIN_HASHABLE_DIM) {
    const zero = (): PdqHash => new Uint8Array(PDQ_HASH_BYTES);
    return {
      hash: zero(),
      quality: 0,
      dihedral: {
        rot90: zero(),
        rot180: zero(),
        rot270: zero(),
        flipX: zero(),
        flipY: zero(),
        flipPlus1: zero(),
        flipMinus1: zero(),
      },
    };
  }

  const count = width * height;
  let buffer1: Float32Array;
  let buffer2: Float32Array;
  if (count <= REUSED_BUFFER_PIXELS) {
    if (reusedBuffer1.length < count) {
      reusedBuffer1 = new Float32Array(count);
      reusedBuffer2 = new Float32Array(count);
    }
    buffer1 = reusedBuffer1;
    buffer2 = reusedBuffer2;
  } else {
    buffer1 = new Float32Array(count);
    buffer2 = new Float32Array(count);
  }

  fillLuma(pixels, buffer1);
  // pdqFloat256FromFloatLuma: a 64 × 64 input (a video frame already scaled by ffmpeg) skips the filter.
  if (width === DOWNSAMPLE && height === DOWNSAMPLE) {
    block64.set(buffer1.subarray(0, DOWNSAMPLE * DOWNSAMPLE));
  } else {
    jaroszFilter(buffer1, buffer2, height, width);
    decimate(buffer1, height, width, block64);
  }
  const quality = imageDomainQuality(block64);
  dct64To16(block64, block16x64, block16);

  return {
    hash: blockToHash(block16),
    quality,
    dihedral: {
      rot90: variantHash(block16, true, (_i, j) => (j & 1 ? 1 : -1)),
      rot180: variantHash(block16, false, (i, j) => ((i + j) & 1 ? -1 : 1)),
      rot270: variantHash(block16, true, (i) => (i & 1 ? 1 : -1)),
      flipX: variantHash(block16, false, (i) => (i & 1 ? 1 : -1)),
      flipY: variantHash(block16, false, (_i, j) => (j & 1 ? 1 : -1)),
      flipPlus1: variantHash(block16, true, () => 1),
      flipMinus1: variantHash(block16, true, (i, j) => ((i + j) & 1 ? -1 : 1)),
    },
  };
}

/** pdqhashing.cpp `fillFloatLumaFromRGB` / `fillFloatLumaFromGrey`: float luma, row-major. */
function fillLuma(pixels: ImagePixels, luma: Float32Array): void {
  const { channels } = pixels;
  // One element type for the loop (Node's byte buffers, Uint8Array and canvas Uint8ClampedArray each have their own),
  // so the engine compiles it once, monomorphic.
  const data = new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.length);
  const count = pixels.width * pixels.height;
  if (channels === 1) {
    for (let p = 0; p < count; p++) luma[p] = data[p]!;
    return;
  }
  for (let p = 0, o = 0; p < count; p++, o += channels) {
    // (R·cR + G·cG) + B·cB in float, as C++ evaluates it; the store rounds the last sum.
    luma[p] = f32(LUMA_R[data[o]!]! + LUMA_G[data[o + 1]!]!) + LUMA_B[data[o + 2]!]!;
  }
}

/** downscaling.cpp `computeJaroszFilterWindowSize(old, 64)`: ⌊(old + 2·64 − 1) / (2·64)⌋. */
function jaroszWindow(oldDimension: number): number {
  return Math.floor((oldDimension + 2 * DOWNSAMPLE - 1) / (2 * DOWNSAMPLE));
}

/** downscaling.cpp `jaroszFilterFloat`: twice, a box along rows (1 → 2) then along columns (2 → 1). */
function jaroszFilter(buffer1: Float32Array, buffer2: Float32Array, rows: number, cols: number): void {
  const windowAlongRows = jaroszWindow(cols);
  const windowAlongCols = jaroszWindow(rows);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    // Rows: lines start at r · cols and step by 1; columns: lines start at c and step by a row.
    for (let r = 0; r < rows; r += 4) {
      const last = Math.min(r + 3, rows - 1) * cols;
      box4(
        buffer1,
        buffer2,
        r * cols,
        Math.min(r + 1, rows - 1) * cols,
        Math.min(r + 2, rows - 1) * cols,
        last,
        1,
        cols,
        windowAlongRows,
      );
    }
    for (let c = 0; c < cols; c += 4) {
      box4(
        buffer2,
        buffer1,
        c,
        Math.min(c + 1, cols - 1),
        Math.min(c + 2, cols - 1),
        Math.min(c + 3, cols - 1),
        cols,
        rows,
        windowAlongCols,
      );
    }
  }
}

/**
 * downscaling.cpp `box1DFloat` on four lines at once (rows or columns; a line given twice is computed twice, for
 * the last group): a running float sum over a window placed by `half`, divided by the number of samples in it.
 * The four phases (prime, grow, slide, shrink) and the order of every float addition are the reference's; four
 * independent sums only let the CPU overlap them.
 *
 * The division `sum / count` is done as `sum × (1 / count)` rounded to float, which is exact: the double product
 * is within 2⁻⁵² (relative) of the quotient, while a quotient of a float by an integer count c < 2²⁶ can come no
 * closer than 2⁻²⁵/c to a float rounding boundary, so both round to the same float (windows here are ≤ 64).
 */
function box4(
  input: Float32Array,
  output: Float32Array,
  base0: number,
  base1: number,
  base2: number,
  base3: number,
  step: number,
  length: number,
  window: number,
): void {
  const half = (window + 2) >> 1;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let count = 0;
  let ri = 0; // offset of the sample entering the window
  let li = 0; // offset of the sample leaving it
  let oi = 0; // offset of the output
  for (let i = 0; i < half - 1; i++, ri += step) {
    s0 = f32(s0 + input[base0 + ri]!);
    s1 = f32(s1 + input[base1 + ri]!);
    s2 = f32(s2 + input[base2 + ri]!);
    s3 = f32(s3 + input[base3 + ri]!);
    count++;
  }
  for (let i = 0, n = window - half + 1; i < n; i++, ri += step, oi += step) {
    s0 = f32(s0 + input[base0 + ri]!);
    s1 = f32(s1 + input[base1 + ri]!);
    s2 = f32(s2 + input[base2 + ri]!);
    s3 = f32(s3 + input[base3 + ri]!);
    count++;
    const inverse = 1 / count;
    output[base0 + oi] = s0 * inverse;
    output[base1 + oi] = s1 * inverse;
    output[base2 + oi] = s2 * inverse;
    output[base3 + oi] = s3 * inverse;
  }
  const inverse = 1 / count;
  for (let i = 0, n = length - window; i < n; i++, ri += step, li += step, oi += step) {
    s0 = f32(f32(s0 + input[base0 + ri]!) - input[base0 + li]!);
    s1 = f32(f32(s1 + input[base1 + ri]!) - input[base1 + li]!);
    s2 = f32(f32(s2 + input[base2 + ri]!) - input[base2 + li]!);
    s3 = f32(f32(s3 + input[base3 + ri]!) - input[base3 + li]!);
    output[base0 + oi] = s0 * inverse;
    output[base1 + oi] = s1 * inverse;
    output[base2 + oi] = s2 * inverse;
    output[base3 + oi] = s3 * inverse;
  }
  for (let i = 0; i < half - 1; i++, li += step, oi += step) {
    s0 = f32(s0 - input[base0 + li]!);
    s1 = f32(s1 - input[base1 + li]!);
    s2 = f32(s2 - input[base2 + li]!);
    s3 = f32(s3 - input[base3 + li]!);
    count--;
    const shrunk = 1 / count;
    output[base0 + oi] = s0 * shrunk;
    output[base1 + oi] = s1 * shrunk;
    output[base2 + oi] = s2 * shrunk;
    output[base3 + oi] = s3 * shrunk;
  }
}

/** downscaling.cpp `decimateFloat`: sample the centre of each of the 64 × 64 cells. */
function decimate(input: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i = 0; i < DOWNSAMPLE; i++) {
    const inRow = Math.trunc(((i + 0.5) * rows) / DOWNSAMPLE) * cols;
    for (let j = 0; j < DOWNSAMPLE; j++) {
      out[i * DOWNSAMPLE + j] = input[inRow + Math.trunc(((j + 0.5) * cols) / DOWNSAMPLE)]!;
    }
  }
}

/**
 * pdqhashing.cpp `pdqImageDomainQualityMetric`: Σ |int((u − v) · 100 / 255)| over vertical and horizontal
 * neighbours of the 64 × 64 block, integer-divided by 90 and capped at 100.
 */
function imageDomainQuality(block: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < DOWNSAMPLE - 1; i++) {
    for (let j = 0; j < DOWNSAMPLE; j++) {
      const d = f32(f32(f32(block[i * DOWNSAMPLE + j]! - block[(i + 1) * DOWNSAMPLE + j]!) * 100) / 255);
      gradientSum += Math.abs(Math.trunc(d));
    }
  }
  for (let i = 0; i < DOWNSAMPLE; i++) {
    for (let j = 0; j < DOWNSAMPLE - 1; j++) {
      const d = f32(f32(f32(block[i * DOWNSAMPLE + j]! - block[i * DOWNSAMPLE + j + 1]!) * 100) / 255);
      gradientSum += Math.abs(Math.trunc(d));
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}

/**
 * pdqhashing.cpp `dct64To16`: B = D · A · Dᵀ with float sums accumulated k = 0…63 in order, as the reference
 * does. The loops are nested k-outside so that A is read row by row; each sum still receives its terms in order.
 */
function dct64To16(a: Float32Array, t: Float32Array, b: Float32Array): void {
  const d = DCT_MATRIX;
  const acc = accumulators;
  for (let i = 0; i < DCT_SIZE; i++) {
    acc.fill(0);
    const dRow = i * DOWNSAMPLE;
    for (let k = 0; k < DOWNSAMPLE; k++) {
      const dik = d[dRow + k]!;
      const aRow = k * DOWNSAMPLE;
      for (let j = 0; j < DOWNSAMPLE; j++) acc[j] = f32(acc[j]! + f32(dik * a[aRow + j]!));
    }
    t.set(acc, dRow);
  }
  for (let i = 0; i < DCT_SIZE; i++) {
    const tRow = i * DOWNSAMPLE;
    for (let j = 0; j < DCT_SIZE; j++) {
      const dRow = j * DOWNSAMPLE;
      let sum = 0;
      for (let k = 0; k < DOWNSAMPLE; k++) sum = f32(sum + f32(t[tRow + k]! * d[dRow + k]!));
      b[i * DCT_SIZE + j] = sum;
    }
  }
}

/**
 * One dihedral variant from the original DCT block (`dct16OriginalTo*`): B′ = sign(i, j) · A[i][j], written at
 * [j][i] when the transform transposes.
 */
function variantHash(a: Float32Array, transpose: boolean, sign: (i: number, j: number) => 1 | -1): PdqHash {
  const out = variantBlock;
  for (let i = 0; i < DCT_SIZE; i++) {
    for (let j = 0; j < DCT_SIZE; j++) {
      const v = sign(i, j) * a[i * DCT_SIZE + j]!;
      out[transpose ? j * DCT_SIZE + i : i * DCT_SIZE + j] = v;
    }
  }
  return blockToHash(out);
}

/**
 * pdqhashing.cpp `pdqBuffer16x16ToBits`: bit k = i·16 + j is set iff B[i][j] > the Torben median, which for 256
 * values is the lower median (the 128th smallest). Bit k lives in byte 31 − ⌊k/8⌋, so the bytes in order are the
 * reference hex (16 words printed from w[15] down to w[0]).
 */
function blockToHash(block: Float32Array): PdqHash {
  sortScratch.set(block);
  sortScratch.sort();
  const median = sortScratch[(DCT_SIZE * DCT_SIZE) / 2 - 1]!;
  const hash = new Uint8Array(PDQ_HASH_BYTES);
  for (let k = 0; k < DCT_SIZE * DCT_SIZE; k++) {
    if (block[k]! > median) hash[PDQ_HASH_BYTES - 1 - (k >> 3)]! |= 1 << (k & 7);
  }
  return hash;
}

const POPCOUNT = (() => {
  const table = new Uint8Array(256);
  for (let v = 1; v < 256; v++) table[v] = (v & 1) + table[v >> 1]!;
  return table;
})();

/**
 * The number of bits in which two PDQ hashes differ (0–256).
 *
 * @throws InvalidInputError `FINGERPRINT_INVALID` when either is not 32 bytes.
 * @example
 * ```ts
 * hammingDistance(pdqHashFromHex('00'.repeat(32))!, pdqHashFromHex('03' + '00'.repeat(31))!) // 2
 * ```
 */
export function hammingDistance(a: PdqHash, b: PdqHash): number {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== 32 || b.length !== 32) {
    throw new InvalidInputError('FINGERPRINT_INVALID', 'a PDQ hash is 32 bytes', [
      { path: '(root)', message: 'a PDQ hash is 32 bytes' },
    ]);
  }
  let distance = 0;
  for (let i = 0; i < PDQ_HASH_BYTES; i++) distance += POPCOUNT[a[i]! ^ b[i]!]!;
  return distance;
}

/**
 * The reference's text form of a hash: 64 lower-case hex digits (the 16 words from w[15] down to w[0]).
 *
 * @example
 * ```ts
 * pdqHashToHex(result.hash) // 'd8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22'
 * ```
 */
export function pdqHashToHex(hash: PdqHash): string {
  return toHex(hash);
}

/**
 * Reads 64 hex digits (either case) into a hash; `undefined` for anything else.
 *
 * @example
 * ```ts
 * const hash = pdqHashFromHex('d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22');
 * ```
 */
export function pdqHashFromHex(hex: string): PdqHash | undefined {
  if (typeof hex !== 'string' || hex.length !== 2 * PDQ_HASH_BYTES || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const hash = new Uint8Array(PDQ_HASH_BYTES);
  for (let i = 0; i < PDQ_HASH_BYTES; i++) hash[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return hash;
}

/** How a query hash compares with a registered work's hash (see {@link comparePdq}). */
export interface PdqComparison {
  /** The smallest Hamming distance over the dihedral variants tried. */
  readonly distance: number;
  /** Which transform of the registered image the query is closest to (`flipY`: the query is a mirror image). */
  readonly variant: PdqVariant;
  /** `distance` ≤ {@link PDQ_MATCH_THRESHOLD} and neither quality is under {@link PDQ_MIN_QUALITY}. */
  readonly matched: boolean;
  /** True when either quality is under {@link PDQ_MIN_QUALITY}: never a match, whatever the distance says. */
  readonly unreliable: boolean;
}

// Query ≈ T(registered) ⇔ T⁻¹(query) ≈ registered: each transform's inverse, for when only the query has
// its dihedral variants. Rotations by 90° and 270° are each other's inverse; the rest are their own.
const INVERSE: Readonly<Record<keyof PdqDihedral, keyof PdqDihedral>> = {
  rot90: 'rot270',
  rot180: 'rot180',
  rot270: 'rot90',
  flipX: 'flipX',
  flipY: 'flipY',
  flipPlus1: 'flipPlus1',
  flipMinus1: 'flipMinus1',
};

/**
 * Compares a query image's hash with a registered work's: the best distance over the registered hash's 8 dihedral
 * variants, so a rotated or mirrored copy matches (matching.md §2.1 step 9; `pdq/README.md` says to store or query
 * all 8, never a canonical one). When the registered side carries no variants but the query does, the query's
 * variants are tried against the registered hash instead, which is the same comparison seen from the other side.
 * Low-quality hashes are reported `unreliable` and never `matched`.
 *
 * @throws InvalidInputError `FINGERPRINT_INVALID` when a hash is not 32 bytes.
 * @example
 * ```ts
 * const { matched, distance, variant } = comparePdq(pdqFromPixels(query), registered);
 * if (matched) console.log(`same picture (${variant}), ${distance} bits apart`);
 * ```
 */
export function comparePdq(query: PdqFingerprint, registered: PdqFingerprint): PdqComparison {
  let distance = hammingDistance(query.hash, registered.hash);
  let variant: PdqVariant = 'original';
  for (const name of PDQ_VARIANTS) {
    if (name === 'original') continue;
    let candidate: number | undefined;
    if (registered.dihedral !== undefined) {
      candidate = hammingDistance(query.hash, registered.dihedral[name]);
    } else if (query.dihedral !== undefined) {
      candidate = hammingDistance(query.dihedral[INVERSE[name]], registered.hash);
    }
    if (candidate !== undefined && candidate < distance) {
      distance = candidate;
      variant = name;
    }
  }
  const unreliable = query.quality < PDQ_MIN_QUALITY || registered.quality < PDQ_MIN_QUALITY;
  return { distance, variant, matched: !unreliable && distance <= PDQ_MATCH_THRESHOLD, unreliable };
}
