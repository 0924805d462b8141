import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHROMAPRINT_ITEM_SECONDS } from './chromaprint-codec.js';
import { compareChromaprint } from './compare-chromaprint.js';
import { createRandom } from '../../../test/text-corpus.js';

/** The shared seeded generator (mulberry32) as whole 32-bit numbers, so that the fixtures are the same on every run. */
function generator(seed: number): () => number {
  const random = createRandom(seed);
  return () => random() * 2 ** 32;
}

function randomItems(count: number, seed: number): Uint32Array {
  const next = generator(seed);
  return Uint32Array.from({ length: count }, () => next());
}

/** Flips each bit with probability `rate`, as a lossy re-encoding does to some of them. */
function withBitErrors(items: Uint32Array, rate: number, seed: number): Uint32Array {
  const next = generator(seed);
  return items.map((item) => {
    let mask = 0;
    for (let b = 0; b < 32; b++) if (next() / 2 ** 32 < rate) mask |= 1 << b;
    return (item ^ mask) >>> 0;
  });
}

describe('compareChromaprint', () => {
  it('matches a fingerprint with itself at offset 0 with no bit errors', () => {
    const items = randomItems(480, 1);
    expect(compareChromaprint(items, items)).toEqual({
      offset: { items: 0, seconds: 0 },
      overlapItems: 480,
      ber: 0,
      score: 1,
      matched: true,
    });
  });

  it('finds a noisy excerpt at its offset, in items and seconds', () => {
    const reference = randomItems(485, 2);
    const excerpt = withBitErrors(reference.slice(121, 121 + 242), 0.1, 3);
    const result = compareChromaprint(excerpt, reference);
    expect(result.offset.items).toBe(121);
    expect(result.offset.seconds).toBeCloseTo(121 * CHROMAPRINT_ITEM_SECONDS, 9);
    expect(result.offset.seconds).toBeCloseTo(14.98, 2);
    expect(result.overlapItems).toBe(242);
    expect(result.ber).toBeGreaterThan(0.05);
    expect(result.ber).toBeLessThan(0.15);
    expect(result.score).toBeGreaterThan(0.7);
    expect(result.matched).toBe(true);
    // The other way round: the reference starts 121 items before the query.
    const reversed = compareChromaprint(reference, excerpt);
    expect(reversed.offset.items).toBe(-121);
    expect(reversed.matched).toBe(true);
  });

  it('finds any excerpt at its offset (property)', () => {
    // Alignment needs at least 2 items whose top 14 bits survived intact. With n items and a bit error rate p, the
    // expected number is n·(1−p)^14: at n = 40, p = 0.15 that is 4.4, and about 1 draw in 15 finds fewer than 2 (a
    // flaky property). At n ≥ 60, p ≤ 0.10 it is ≥ 13.7, and a miss is about 1 in 60,000. Re-encoded music measures
    // a bit error rate of 0.01–0.06 (the bench's robustness table).
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 60, max: 200 }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (seed, start, length, noise) => {
          const reference = randomItems(600, seed);
          const excerpt = withBitErrors(reference.slice(start, start + length), noise, seed + 1);
          const result = compareChromaprint(excerpt, reference);
          expect(result.offset.items).toBe(start);
          expect(result.overlapItems).toBe(length);
          expect(result.matched).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('does not match unrelated fingerprints', () => {
    for (let seed = 10; seed < 20; seed++) {
      const result = compareChromaprint(randomItems(242, seed), randomItems(485, seed + 100));
      expect(result.matched).toBe(false);
      expect(result.ber).toBeGreaterThan(0.4);
      expect(result.score).toBeLessThan(0.2);
    }
  });

  it('refuses a match on too small an overlap or too many bit errors', () => {
    const reference = randomItems(300, 4);
    expect(compareChromaprint(reference.slice(0, 19), reference).matched).toBe(false);
    expect(compareChromaprint(reference.slice(0, 20), reference).matched).toBe(true);
    const noisy = withBitErrors(reference, 0.35, 5);
    const result = compareChromaprint(noisy, reference);
    expect(result.offset.items).toBe(0);
    expect(result.ber).toBeGreaterThan(0.3);
    expect(result.matched).toBe(false);
    expect(compareChromaprint(noisy, reference, { maxBer: 0.4 }).matched).toBe(true);
  });

  it('penalises repetitive fingerprints as AcoustID does (score^(8 − 7·diversity))', () => {
    const dull = new Uint32Array(200).fill(627964279); // Chromaprint's silence item
    const result = compareChromaprint(dull, dull);
    expect(result.ber).toBe(0);
    // 1 distinct key in 200 items: diversity (1 + 10)/200 + 0.5 = 0.555, so 1^(4.1) = 1: a perfect score stays 1,
    expect(result.score).toBe(1);
    // but any bit errors are amplified.
    const slightly = withBitErrors(dull, 0.05, 6);
    const penalised = compareChromaprint(slightly, dull);
    const plain = 1 - 2 * penalised.ber;
    expect(penalised.score).toBeLessThan(plain ** 3);
  });

  it('never throws on empty or odd inputs', () => {
    const some = randomItems(50, 7);
    for (const [q, r] of [
      [new Uint32Array(0), new Uint32Array(0)],
      [new Uint32Array(0), some],
      [some, new Uint32Array(0)],
      [some.slice(0, 1), some],
    ] as const) {
      const result = compareChromaprint(q, r);
      expect(result.matched).toBe(false);
      expect(Number.isFinite(result.ber)).toBe(true);
      expect(Number.isFinite(result.score)).toBe(true);
    }
  });

  it('honours maxOffsetItems', () => {
    const reference = randomItems(400, 8);
    const excerpt = reference.slice(200, 300);
    expect(compareChromaprint(excerpt, reference, { maxOffsetItems: 100 }).matched).toBe(false);
    expect(compareChromaprint(excerpt, reference, { maxOffsetItems: 200 }).offset.items).toBe(200);
  });
});
