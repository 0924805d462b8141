import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../test/text-corpus.js';
import { InvalidInputError } from '../../errors.js';
import {
  compareVideo,
  parseVideoFingerprint,
  serialiseVideoFingerprint,
  VIDEO_LIMITS,
  type VideoFingerprint,
  type VideoFrameFingerprint,
} from './video-fingerprint.js';

/** A seeded 32-byte hash; `flips` bits changed from `base`. */
function randomHash(random: () => number): Uint8Array {
  return Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256));
}
function flipBits(hash: Uint8Array, flips: number, random: () => number): Uint8Array {
  const out = hash.slice();
  const bits = new Set<number>();
  while (bits.size < flips) bits.add(Math.floor(random() * 256));
  for (const bit of bits) out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}
const video = (hashes: readonly Uint8Array[], quality = 100, from = 0): VideoFingerprint => ({
  frames: hashes.map((hash, i) => ({ second: from + i, hash, quality })),
});

const frameArb: fc.Arbitrary<Omit<VideoFrameFingerprint, 'second'>> = fc.record({
  hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  quality: fc.integer({ min: 0, max: 100 }),
});

describe('vpdq-1fps/1', () => {
  it('parse(serialise(x)) is x', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 40 }), fc.integer({ min: 0, max: 1000 }), (frames, start) => {
        const value: VideoFingerprint = { frames: frames.map((f, i) => ({ ...f, second: start + i * 2 })) };
        expect(parseVideoFingerprint(serialiseVideoFingerprint(value))).toEqual({ ok: true, value });
      }),
    );
  });

  it('never throws on hostile values, and rejects what it cannot read', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (value) => {
        const parsed = parseVideoFingerprint(value);
        if (parsed.ok) expect(serialiseVideoFingerprint(parsed.value)).toBe(value);
      }),
    );
    expect(parseVideoFingerprint('AgAAAAA').ok).toBe(false); // version 2
    expect(parseVideoFingerprint('AQAAAAE').ok).toBe(false); // claims 1 frame, holds none
    expect(parseVideoFingerprint('A'.repeat(2_000_000)).ok).toBe(false);
  });

  it('refuses frames out of order, bad qualities and short hashes when writing', () => {
    const hash = new Uint8Array(32);
    const bad: VideoFrameFingerprint[][] = [
      [
        { second: 1, hash, quality: 100 },
        { second: 1, hash, quality: 100 },
      ],
      [{ second: 0, hash, quality: 101 }],
      [{ second: 0, hash: new Uint8Array(31), quality: 100 }],
      [{ second: -1, hash, quality: 100 }],
    ];
    for (const frames of bad) {
      expect(() => serialiseVideoFingerprint({ frames })).toThrow(InvalidInputError);
    }
    const tooLong = Array.from({ length: VIDEO_LIMITS.maxFrames + 1 }, (_, i) => ({ second: i, hash, quality: 100 }));
    expect(() => serialiseVideoFingerprint({ frames: tooLong })).toThrow(InvalidInputError);
  });
});

describe('compareVideo', () => {
  const random = createRandom(42);
  const work = Array.from({ length: 60 }, () => randomHash(random));

  it('finds a noisy excerpt at its offset', () => {
    const clip = work.slice(20, 32).map((h) => flipBits(h, 20, random));
    const result = compareVideo(video(clip), video(work));
    expect(result).toMatchObject({ matched: true, offsetSeconds: 20, queryMatched: 12, alignedFrames: 12 });
    expect(result.queryCoverage).toBe(1);
    expect(result.referenceCoverage).toBeCloseTo(12 / 60);
  });

  it('finds a short excerpt inside a longer unrelated video', () => {
    const filler = Array.from({ length: 100 }, () => randomHash(random));
    const mixed = [
      ...filler.slice(0, 50),
      ...work.slice(10, 16).map((h) => flipBits(h, 10, random)),
      ...filler.slice(50),
    ];
    const result = compareVideo(video(mixed), video(work));
    expect(result).toMatchObject({ matched: true, offsetSeconds: 10 - 50, alignedFrames: 6 });
    expect(result.queryCoverage).toBeLessThan(0.1);
  });

  it('does not match unrelated or too-distant frames, nor frames of low quality', () => {
    const other = Array.from({ length: 30 }, () => randomHash(random));
    expect(compareVideo(video(other), video(work))).toMatchObject({ matched: false, queryMatched: 0 });
    const far = work.slice(0, 10).map((h) => flipBits(h, 40, random));
    expect(compareVideo(video(far), video(work)).matched).toBe(false);
    const dim = compareVideo(video(work.slice(0, 10), 30), video(work));
    expect(dim).toMatchObject({ matched: false, queryFrames: 0 });
  });

  it('a few scattered matching frames are not a match', () => {
    const other = Array.from({ length: 40 }, () => randomHash(random));
    other[3] = work[50]!;
    other[30] = work[2]!;
    const result = compareVideo(video(other), video(work));
    expect(result.queryMatched).toBe(2);
    expect(result.matched).toBe(false);
  });
});
