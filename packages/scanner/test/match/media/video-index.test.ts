import { compareVideo, type PdqDihedral, type VideoFingerprint, type VideoFrameFingerprint } from '@heoga/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VideoIndex } from '../../../src/match/media/index.js';
import { expectInvalidSection, flipBits, openOrInvalid, randomHashes, sameBytes, seeded } from './media-fixtures.js';

/** A random video: frames at increasing seconds (with gaps now and then), some of low quality. */
function randomVideo(random: () => number, frames: number): VideoFingerprint {
  const out: VideoFrameFingerprint[] = [];
  let second = Math.floor(random() * 5);
  for (let i = 0; i < frames; i++) {
    out.push({ second, quality: random() < 0.1 ? 20 : 60 + Math.floor(random() * 41), hash: randomHashes(random, 1) });
    second += random() < 0.1 ? 2 : 1;
  }
  return { frames: out };
}

function library(seed: number, count: number): VideoFingerprint[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => randomVideo(random, 10 + Math.floor(random() * 110)));
}

/** Frames [from, from + length) of a video, re-timed to start at `startSecond`, each hash with a few bits flipped. */
function excerpt(
  random: () => number,
  video: VideoFingerprint,
  from: number,
  length: number,
  startSecond: number,
): VideoFingerprint {
  const frames = video.frames.slice(from, from + length);
  const shift = startSecond - frames[0]!.second;
  return {
    frames: frames.map((f) => ({
      second: f.second + shift,
      quality: f.quality,
      hash: flipBits(random, f.hash, Math.floor(random() * 12)),
    })),
  };
}

const VIDEOS = library(1, 60);
const INDEX = VideoIndex.build(VIDEOS);

describe('VideoIndex', () => {
  it('finds an excerpt with a few flipped bits per frame, at the right offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: VIDEOS.length - 1 }),
        fc.integer({ min: 8, max: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (entry, wanted, seed) => {
          const video = VIDEOS[entry]!;
          const random = seeded(seed);
          const length = Math.min(wanted, video.frames.length);
          const from = Math.floor(random() * (video.frames.length - length + 1));
          const query = excerpt(random, video, from, length, 100);
          const matches = INDEX.search(query);
          expect(matches.map((m) => m.entry)).toEqual([entry]);
          expect(matches[0]!.offsetSeconds).toBe(video.frames[from]!.second - 100);
          expect(matches[0]!.queryCoverage).toBe(1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds a mirrored copy through the query frames’ dihedral variants', () => {
    const random = seeded(2);
    const video = VIDEOS[5]!;
    // A mirrored frame hashes to something unrelated; its flipY variant is close to the registered frame.
    const frames = video.frames.slice(0, 10).map((f) => {
      const dihedral = Object.fromEntries(
        ['rot90', 'rot180', 'rot270', 'flipX', 'flipY', 'flipPlus1', 'flipMinus1'].map((v) => [
          v,
          v === 'flipY' ? flipBits(random, f.hash, 6) : randomHashes(random, 1),
        ]),
      ) as unknown as PdqDihedral;
      return { second: f.second, quality: 80, hash: randomHashes(random, 1), dihedral };
    });
    expect(INDEX.search({ frames: frames.map(({ dihedral: _, ...plain }) => plain) })).toEqual([]);
    expect(INDEX.search({ frames }).map((m) => m.entry)).toEqual([5]);
  });

  it('finds nothing for unrelated videos', () => {
    const random = seeded(3);
    for (let t = 0; t < 20; t++) expect(INDEX.search(randomVideo(random, 5 + Math.floor(random() * 200)))).toEqual([]);
  });

  it('returns what compareVideo against every registered video returns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        const random = seeded(seed);
        const videos = library(seed, 12);
        // Queries that share a few frames with several videos, at assorted offsets: some pass, some do not.
        const frames: VideoFrameFingerprint[] = [];
        let second = 0;
        for (let i = 0; i < 30; i++) {
          const source = videos[Math.floor(random() * 4)]!.frames;
          const hash = random() < 0.7 ? source[Math.floor(random() * source.length)]!.hash : randomHashes(random, 1);
          frames.push({ second, quality: random() < 0.1 ? 10 : 80, hash: flipBits(random, hash, 5) });
          second += 1;
        }
        const query = random() < 0.5 ? { frames } : excerpt(random, videos[0]!, 0, 7, 3);
        const index = VideoIndex.build(videos);
        const got = index.search(query, { maxCandidates: videos.length });
        const expected = videos.flatMap((video, entry) => {
          const r = compareVideo(query, video);
          return r.matched
            ? [
                {
                  entry,
                  queryCoverage: r.queryCoverage,
                  referenceCoverage: r.referenceCoverage,
                  offsetSeconds: r.offsetSeconds,
                  alignedFrames: r.alignedFrames,
                },
              ]
            : [];
        });
        expect([...got].sort((a, b) => a.entry - b.entry)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on hostile queries', () => {
    const hash = VIDEOS[0]!.frames[0]!.hash;
    const bad: unknown[] = [
      undefined,
      null,
      {},
      { frames: 'x' },
      { frames: [null, 1, 'x', {}] },
      { frames: [{ second: Number.NaN, quality: 90, hash }] },
      { frames: [{ second: 0, quality: 90, hash: new Uint8Array(3) }] },
      { frames: [{ second: 0, quality: 90, hash, dihedral: { rot90: 'x' } }] },
      { frames: [{ second: 0, quality: 90, hash, dihedral: null }] },
    ];
    for (const q of bad) expect(() => INDEX.search(q as VideoFingerprint)).not.toThrow();
    expect(INDEX.search(VIDEOS[0]!, { maxCandidates: Number.NaN }).map((m) => m.entry)).toEqual([0]);
    expect(INDEX.search(VIDEOS[0]!, { maxCandidates: 0 })).toEqual([]);
    expect(INDEX.reference(60)).toBeUndefined();
  });

  it('stores only frames of quality 50 or more', () => {
    const stored = VIDEOS.reduce((n, v) => n + v.frames.filter((f) => f.quality >= 50).length, 0);
    expect(INDEX.frameCount).toBe(stored);
    expect(INDEX.reference(3)!.frames).toEqual(VIDEOS[3]!.frames.filter((f) => f.quality >= 50));
  });

  it('build rejects malformed videos with SNAPSHOT_INVALID', () => {
    const hash = new Uint8Array(32);
    expectInvalidSection(() =>
      VideoIndex.build([
        {
          frames: [
            { second: 1, quality: 90, hash },
            { second: 1, quality: 90, hash },
          ],
        },
      ]),
    );
    expectInvalidSection(() => VideoIndex.build([{ frames: [{ second: 0, quality: 101, hash }] }]));
    expectInvalidSection(() => VideoIndex.build([{ frames: [{ second: 0, quality: 90, hash: new Uint8Array(8) }] }]));
    expectInvalidSection(() => VideoIndex.build([{ frames: [null as unknown as VideoFrameFingerprint] }]));
    expectInvalidSection(() => VideoIndex.build([{} as VideoFingerprint]));
  });
});

describe('VideoIndex sections', () => {
  const small = VideoIndex.build(library(4, 4));

  it('fromBytes(toBytes(x)) gives the same bytes and answers', () => {
    const bytes = INDEX.toBytes();
    const loaded = VideoIndex.fromBytes(bytes);
    expect(sameBytes(loaded.toBytes(), bytes)).toBe(true);
    const query = excerpt(seeded(1), VIDEOS[9]!, 2, 8, 0);
    expect(loaded.search(query)).toEqual(INDEX.search(query));
  });

  it('rejects every truncation', () => {
    const bytes = small.toBytes();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expectInvalidSection(() => VideoIndex.fromBytes(bytes.subarray(0, length)));
      }),
      { numRuns: 100 },
    );
  });

  it('a mutated section is rejected, or opens and answers without throwing', () => {
    const bytes = small.toBytes();
    const videos = library(4, 4);
    const head = 32 + 4 * 5 + 8 * videos.reduce((n, v) => n + v.frames.length, 0) + 64;
    const position = fc.oneof(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: head }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(position, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 2 }),
        (edits) => {
          const mutated = bytes.slice();
          for (const [at, xor] of edits) mutated[at]! ^= xor;
          const loaded = openOrInvalid(() => VideoIndex.fromBytes(mutated));
          if (loaded === undefined) return;
          loaded.search(excerpt(seeded(edits[0]![0]), videos[1]!, 0, 6, 0));
          for (let e = 0; e < loaded.size; e++) expect(loaded.reference(e)).toBeDefined();
        },
      ),
      { numRuns: 100 },
    );
  });
});
