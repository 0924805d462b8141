// Image fingerprints: PDQ on pixels, decode + PDQ of a photo, and how PDQ holds up under common edits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { comparePdq, hammingDistance, pdqFromPixels, type ImagePixels, type PdqVariant } from '@heoga/core';
import { fingerprintImage } from '@heoga/fingerprint';
import { findVectorsDir } from '../packages/core/test/vectors.js';
import type { Benchmark, OneShot } from './harness.js';
import { smoothPicture } from '../packages/fingerprint/test/image-material.js';

const PHOTO_WIDTH = 1600;
const PHOTO_HEIGHT = 1004;

/** The 1600 × 1004 bridge photo of the PDQ vectors (vectors/pdq/images), or a synthetic JPEG of that size. */
async function photoJpeg(): Promise<Uint8Array> {
  const vectors = findVectorsDir();
  if (vectors !== undefined) return readFileSync(join(vectors, 'pdq/images/bridge-1-original.jpg'));
  return sharp(smoothPicture(PHOTO_WIDTH, PHOTO_HEIGHT), {
    raw: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3 },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** The photo decoded and squashed to exactly 512 × 512 RGB: PDQ's largest expected input. */
async function pixels512(): Promise<ImagePixels> {
  const { data, info } = await sharp(await photoJpeg())
    .resize(512, 512, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

export const benchmarks: readonly Benchmark[] = [
  {
    group: 'fingerprint',
    name: 'PDQ: 512×512 RGB pixels (hash, quality, 8 dihedral hashes)',
    unit: 'image',
    batch: 1,
    bar: 'within 2× the reference C++ per image, decode included',
    setup: async () => {
      const image = await pixels512();
      return () => void pdqFromPixels(image);
    },
  },
];

export const oneShots: readonly OneShot[] = [
  {
    group: 'fingerprint',
    name: `decode + PDQ: ${PHOTO_WIDTH}×${PHOTO_HEIGHT} JPEG (decode included, sharp fit inside 512)`,
    unit: 'image',
    bar: 'within 2× the reference C++ per image, decode included',
    run: async () => {
      const jpeg = await photoJpeg();
      for (let i = 0; i < 5; i++) await fingerprintImage(jpeg); // warm-up
      const operations = 60;
      const start = performance.now();
      for (let i = 0; i < operations; i++) await fingerprintImage(jpeg);
      const seconds = (performance.now() - start) / 1000;
      return { operations, seconds, extra: { libvipsThreads: sharp.concurrency() } };
    },
  },
];

/** One edit of an image, compared with the original by `comparePdq`. */
export interface RobustnessRow {
  readonly image: string;
  readonly transformation: string;
  /** Best distance over the original's 8 dihedral hashes. */
  readonly distance: number;
  /** Distance to the original's hash alone, without the dihedral variants. */
  readonly distanceWithoutDihedral: number;
  readonly variant: PdqVariant;
  readonly matched: boolean;
}

const EDITS: readonly [string, (bytes: Uint8Array) => Promise<Uint8Array>][] = [
  ['JPEG quality 30', (b) => sharp(b).jpeg({ quality: 30 }).toBuffer()],
  [
    'resize 50%',
    async (b) => {
      const { width, height } = await sharp(b).metadata();
      return sharp(b)
        .resize(Math.round(width / 2), Math.round(height / 2))
        .png()
        .toBuffer();
    },
  ],
  ['greyscale', (b) => sharp(b).greyscale().png().toBuffer()],
  ['mirror (left-right)', (b) => sharp(b).flop().png().toBuffer()],
];

/**
 * How PDQ holds up: for each vector photo (or the synthetic picture without vectors), generates with sharp a JPEG
 * at quality 30, a 50 % resize, a greyscale copy and a mirror image, and compares each with the original the
 * way the registry does (`comparePdq`, the original as the registered work). An unrelated photo is added as a
 * control when the vectors are here.
 *
 * @example
 * ```ts
 * console.table(await imageRobustness());
 * ```
 */
export async function imageRobustness(): Promise<RobustnessRow[]> {
  const vectors = findVectorsDir();
  const images: [string, Uint8Array][] =
    vectors === undefined
      ? [['synthetic', await photoJpeg()]]
      : ['bridge-1-original.jpg', 'q0122.jpg', 'q2821.jpg', 'pen-and-coaster.png'].map((name) => [
          name,
          readFileSync(join(vectors, 'pdq/images', name)),
        ]);
  const rows: RobustnessRow[] = [];
  for (const [image, bytes] of images) {
    const original = (await fingerprintImage(bytes)).pdq;
    for (const [transformation, edit] of EDITS) {
      const edited = (await fingerprintImage(await edit(bytes))).pdq;
      const { distance, variant, matched } = comparePdq(edited, original);
      rows.push({
        image,
        transformation,
        distance,
        distanceWithoutDihedral: hammingDistance(edited.hash, original.hash),
        variant,
        matched,
      });
    }
  }
  if (images.length > 1) {
    const [first, second] = [images[0]!, images[images.length - 1]!];
    const a = (await fingerprintImage(first[1])).pdq;
    const b = (await fingerprintImage(second[1])).pdq;
    const { distance, variant, matched } = comparePdq(b, a);
    rows.push({
      image: first[0],
      transformation: `unrelated (${second[0]})`,
      distance,
      distanceWithoutDihedral: hammingDistance(a.hash, b.hash),
      variant,
      matched,
    });
  }
  return rows;
}
