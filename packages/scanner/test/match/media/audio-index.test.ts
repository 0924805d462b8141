import { CHROMAPRINT_ITEM_SECONDS } from '@heoga/core';
import { chromaprint } from '@heoga/fingerprint';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { synthesizeMusic } from '../../../../fingerprint/test/audio-material.js';
import { AudioIndex } from '../../../src/match/media/index.js';
import {
  expectInvalidSection,
  openOrInvalid,
  randomItems,
  sameBytes,
  seeded,
  withBitErrors,
} from './media-fixtures.js';

function randomReferences(seed: number, count: number): Uint32Array[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => randomItems(random, 100 + Math.floor(random() * 1_100)));
}

const REFERENCES = randomReferences(1, 400);
const INDEX = AudioIndex.build(REFERENCES);

describe('AudioIndex', () => {
  it('finds an excerpt with up to 10 % bit errors among 400 references, at the right offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: REFERENCES.length - 1 }),
        fc.integer({ min: 80, max: 400 }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (entry, wanted, ber, seed) => {
          const reference = REFERENCES[entry]!;
          const length = Math.min(wanted, reference.length);
          const random = seeded(seed);
          const start = Math.floor(random() * (reference.length - length + 1));
          const query = withBitErrors(random, reference.subarray(start, start + length), ber);
          const [best, ...rest] = INDEX.search(query);
          expect(best?.entry).toBe(entry);
          expect(best!.offsetSeconds).toBeCloseTo(start * CHROMAPRINT_ITEM_SECONDS, 6);
          expect(best!.overlapSeconds).toBeCloseTo(length * CHROMAPRINT_ITEM_SECONDS, 6);
          expect(best!.ber).toBeLessThanOrEqual(0.15);
          expect(rest).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds a registered excerpt inside a longer query (the other way round)', () => {
    const random = seeded(5);
    const reference = REFERENCES[17]!;
    const query = new Uint32Array(reference.length + 300);
    query.set(randomItems(random, query.length));
    query.set(withBitErrors(random, reference, 0.05), 120);
    const [best] = INDEX.search(query);
    expect(best?.entry).toBe(17);
    expect(best!.offsetSeconds).toBeCloseTo(-120 * CHROMAPRINT_ITEM_SECONDS, 6);
  });

  it('finds nothing for random queries', () => {
    const random = seeded(99);
    for (let t = 0; t < 50; t++) expect(INDEX.search(randomItems(random, 50 + Math.floor(random() * 900)))).toEqual([]);
  });

  it('works with 14-bit keys (compareChromaprint’s alignBits) too', () => {
    const index = AudioIndex.build(REFERENCES.slice(0, 100), { keyBits: 14 });
    expect(index.keyBits).toBe(14);
    const query = withBitErrors(seeded(3), REFERENCES[42]!.subarray(10, 110), 0.1);
    expect(index.search(query).map((m) => m.entry)).toEqual([42]);
  });

  it('stop-lists keys held by too many items, and still matches on the others', () => {
    const random = seeded(4);
    // Every reference starts with 300 items of one key (a drone): that key alone would vote for all of them.
    const drone = 0x12340000;
    const references = Array.from({ length: 50 }, () => {
      const items = randomItems(random, 600);
      for (let i = 0; i < 300; i++) items[i] = (drone | (i & 0xffff)) >>> 0;
      return items;
    });
    const index = AudioIndex.build(references);
    expect(index.stoppedKeys).toBeGreaterThan(0);
    const stats = { postings: 0, confirmed: 0 };
    const [best] = index.search(withBitErrors(random, references[7]!.subarray(250, 450), 0.05), { stats });
    expect(best?.entry).toBe(7);
    expect(stats.postings).toBeLessThan(1_000);
  });

  it('never throws on hostile queries', () => {
    for (const q of [undefined, null, 'x', new Uint32Array(0), new Int32Array(40), {}, [1, 2, 3]])
      expect(INDEX.search(q as Uint32Array)).toEqual([]);
    const query = REFERENCES[0]!.subarray(0, 100);
    for (const options of [
      { maxCandidates: -1 },
      { minVotes: Number.NaN },
      { offsetTolerance: 1e9 },
      { maxCandidates: 0 },
    ])
      expect(() => INDEX.search(query, options)).not.toThrow();
    expect(INDEX.search(query, { maxCandidates: 0 })).toEqual([]);
    expect(INDEX.reference(-1)).toBeUndefined();
    expect(AudioIndex.build([]).search(query)).toEqual([]);
  });

  it('build rejects malformed input with SNAPSHOT_INVALID', () => {
    expectInvalidSection(() => AudioIndex.build([new Int32Array(4) as unknown as Uint32Array]));
    expectInvalidSection(() => AudioIndex.build('x' as unknown as Uint32Array[]));
    expectInvalidSection(() => AudioIndex.build([new Uint32Array((1 << 20) + 1)]));
  });
});

describe('AudioIndex on real Chromaprint fingerprints of synthesised music', () => {
  it('finds a re-fingerprinted excerpt of a registered piece, and not an unrelated piece', async () => {
    const pieces = [1, 2, 3, 4, 5].map((seed) => synthesizeMusic({ seconds: 30, seed }));
    const fingerprints = await Promise.all(pieces.map((p) => chromaprint(p.samples, p)));
    const index = AudioIndex.fromBytes(AudioIndex.build(fingerprints.map((f) => f.raw)).toBytes());
    // 12 s from 9.5 s into piece 3, fingerprinted on its own: frames do not line up with the original's.
    const { sampleRate, channels, samples } = pieces[2]!;
    const from = Math.round(9.5 * sampleRate) * channels;
    const excerpt = samples.subarray(from, from + 12 * sampleRate * channels);
    const query = await chromaprint(excerpt, { sampleRate, channels });
    const [best, ...rest] = index.search(query.raw);
    expect(best?.entry).toBe(2);
    expect(Math.abs(best!.offsetSeconds - 9.5)).toBeLessThan(0.3);
    expect(rest).toEqual([]);
    const other = synthesizeMusic({ seconds: 15, seed: 77 });
    expect(index.search((await chromaprint(other.samples, other)).raw)).toEqual([]);
  });
});

describe('AudioIndex sections', () => {
  const small = AudioIndex.build(randomReferences(2, 12));

  it('fromBytes(toBytes(x)) gives the same bytes and answers', () => {
    const bytes = INDEX.toBytes();
    const loaded = AudioIndex.fromBytes(bytes);
    expect(sameBytes(loaded.toBytes(), bytes)).toBe(true);
    expect([loaded.size, loaded.itemCount, loaded.keyBits]).toEqual([INDEX.size, INDEX.itemCount, INDEX.keyBits]);
    const query = withBitErrors(seeded(8), REFERENCES[3]!.subarray(0, 90), 0.08);
    expect(loaded.search(query)).toEqual(INDEX.search(query));
    const shared = new SharedArrayBuffer(bytes.length + 8);
    new Uint8Array(shared, 8).set(bytes);
    expect(AudioIndex.fromBytes(new Uint8Array(shared, 8, bytes.length)).search(query)).toEqual(INDEX.search(query));
  });

  it('rejects every truncation', () => {
    const bytes = small.toBytes();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expectInvalidSection(() => AudioIndex.fromBytes(bytes.subarray(0, length)));
      }),
      { numRuns: 200 },
    );
  });

  it('a mutated section is rejected, or opens and answers without throwing', () => {
    const bytes = small.toBytes();
    const refs = randomReferences(2, 12);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        (edits) => {
          const mutated = bytes.slice();
          for (const [at, xor] of edits) mutated[at]! ^= xor;
          const loaded = openOrInvalid(() => AudioIndex.fromBytes(mutated));
          if (loaded === undefined) return;
          const random = seeded(edits[0]![0]);
          loaded.search(withBitErrors(random, refs[0]!.subarray(0, 80), 0.05));
          loaded.search(randomItems(random, 200));
          for (let e = 0; e < loaded.size; e++) expect(loaded.reference(e)).toBeInstanceOf(Uint32Array);
        },
      ),
      { numRuns: 200 },
    );
  });
});
