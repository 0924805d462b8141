import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { englishText, koreanText } from '../../../test/text-corpus.js';
import { normaliseForShingling } from './normalise-for-shingling.js';
import { WINNOW_K, WINNOW_W, winnow, type WinnowFingerprints } from './winnow.js';

/**
 * Robust winnowing the slow, obvious way (Schleimer et al. 2003): for every window, scan it for the minimum;
 * keep the previous choice when it is in the window and still minimal, else take the rightmost minimum. Hashes come
 * from `winnow` with w = 1 (every k-gram is its own window): all k-grams, in order.
 */
function naiveWinnow(text: string): number[] {
  const all = allGrams(text);
  const grams = all.positions.length;
  const hash = (i: number): bigint => (BigInt(all.hashHigh[i]!) << 32n) | BigInt(all.hashLow[i]!);
  const chosen: number[] = [];
  if (grams === 0) return chosen;
  let last = -1;
  const windows = grams < WINNOW_W ? [[0, grams - 1]] : [];
  for (let end = WINNOW_W - 1; end < grams; end++) windows.push([end - WINNOW_W + 1, end]);
  for (const [start, end] of windows) {
    let minimum = start!;
    for (let i = start!; i <= end!; i++) if (hash(i) <= hash(minimum)) minimum = i;
    if (last >= start! && hash(last) === hash(minimum)) continue;
    if (minimum !== last) chosen.push(minimum);
    last = minimum;
  }
  return chosen;
}

/** Every k-gram's hash, in order: the text winnowed with windows of one. */
function allGrams(text: string): WinnowFingerprints {
  const chars = [...normaliseForShingling(text).text];
  const positions: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  // Each k-gram alone is a text of k characters (normalising it again changes nothing): one window, its own hash.
  for (let i = 0; i + WINNOW_K <= chars.length; i++) {
    const single = winnow(chars.slice(i, i + WINNOW_K).join(''));
    positions.push(i);
    high.push(single.hashHigh[0]!);
    low.push(single.hashLow[0]!);
  }
  return { positions: Uint32Array.from(positions), hashHigh: Uint32Array.from(high), hashLow: Uint32Array.from(low) };
}

const hashesOf = (f: WinnowFingerprints): Set<string> =>
  new Set([...f.positions.keys()].map((i) => `${f.hashHigh[i]}:${f.hashLow[i]}`));

describe('winnow', () => {
  it('selects what the obvious O(n·w) robust winnowing selects, ties included', () => {
    const lowEntropy = fc
      .array(fc.constantFrom('a', 'b', '가'), { minLength: 0, maxLength: 120 })
      .map((a) => a.join(''));
    const periodic = fc
      .tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 60 }))
      .map(([unit, times]) => unit.repeat(times));
    fc.assert(
      fc.property(fc.oneof(lowEntropy, periodic, fc.string({ maxLength: 80 })), (text) => {
        const fast = winnow(text);
        expect([...fast.positions]).toEqual(naiveWinnow(text));
      }),
      { numRuns: 400 },
    );
    for (let seed = 1; seed <= 3; seed++) {
      const text = koreanText(seed, 1500);
      expect([...winnow(text).positions]).toEqual(naiveWinnow(text));
    }
  });

  it('keeps about 2/(w + 1) of the k-grams, in increasing positions', () => {
    for (const text of [koreanText(11, 60_000), englishText(12, 60_000)]) {
      const characters = normaliseForShingling(text).codePoints.length;
      const { positions, hashHigh, hashLow } = winnow(text);
      expect(hashHigh).toHaveLength(positions.length);
      expect(hashLow).toHaveLength(positions.length);
      const density = positions.length / (characters - WINNOW_K + 1);
      expect(density).toBeGreaterThan((2 / (WINNOW_W + 1)) * 0.93);
      expect(density).toBeLessThan((2 / (WINNOW_W + 1)) * 1.07);
      for (let i = 1; i < positions.length; i++) {
        expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
        expect(positions[i]! - positions[i - 1]!).toBeLessThanOrEqual(WINNOW_W); // every window has one
      }
    }
  });

  it('shares a fingerprint for every shared run of k + w − 1 = 28 characters (the winnowing guarantee)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat({ max: 400 }), fc.nat({ max: 400 }), (seed, a, b) => {
        const shared = [...normaliseForShingling(koreanText(seed, 200)).text].slice(50, 50 + WINNOW_K + WINNOW_W - 1);
        const left = normaliseForShingling(koreanText(seed + 1, 500)).text.slice(0, a);
        const right = normaliseForShingling(englishText(seed + 2, 500)).text.slice(0, b);
        const x = hashesOf(winnow(left + shared.join('') + right));
        const y = hashesOf(winnow(right + shared.join('') + left));
        expect([...x].some((h) => y.has(h))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('has no fingerprint for a text shorter than k, and one for a text shorter than k + w − 1', () => {
    expect(winnow('가나다라마바사아자차카타').positions).toHaveLength(0); // 12 characters
    expect(winnow('가나다라마바사아자차카타파').positions).toHaveLength(1);
    expect(winnow('가'.repeat(27)).positions).toHaveLength(1);
    expect(winnow('').positions).toHaveLength(0);
  });

  it('hashes distinct k-grams to distinct 64-bit values, and equal ones to equal values', () => {
    const sample = koreanText(21, 12_000) + englishText(22, 12_000);
    const chars = [...normaliseForShingling(sample).text];
    const distinctGrams = new Set<string>();
    for (let i = 0; i + WINNOW_K <= chars.length; i++) distinctGrams.add(chars.slice(i, i + WINNOW_K).join(''));
    expect(hashesOf(allGrams(sample)).size).toBe(distinctGrams.size);
    // The fingerprints of a long text: one hash per distinct k-gram and one k-gram per hash.
    const text = koreanText(23, 250_000) + englishText(24, 250_000);
    const all = [...normaliseForShingling(text).text];
    const { positions, hashHigh, hashLow } = winnow(text);
    const gramOfHash = new Map<string, string>();
    const hashOfGram = new Map<string, string>();
    for (let i = 0; i < positions.length; i++) {
      const gram = all.slice(positions[i], positions[i]! + WINNOW_K).join('');
      const hash = `${hashHigh[i]}:${hashLow[i]}`;
      expect(gramOfHash.get(hash) ?? gram).toBe(gram);
      expect(hashOfGram.get(gram) ?? hash).toBe(hash);
      gramOfHash.set(hash, gram);
      hashOfGram.set(gram, hash);
    }
    expect(gramOfHash.size).toBeGreaterThan(40_000);
  });
});
