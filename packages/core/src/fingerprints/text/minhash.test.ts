import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, englishText, koreanText, repunctuate, respace } from '../../../test/text-corpus.js';
import { InvalidInputError } from '../../errors.js';
import { DEFAULT_LSH_BANDING, lshBandKeys } from './lsh-band-keys.js';
import { estimateJaccard, MINHASH_SIZE, minhash, minhashClassic } from './minhash.js';
import { fmix32 } from './mix32.js';
import { normaliseForShingling } from './normalise-for-shingling.js';

/** The exact set of character 5-grams of the normalised text (the whole text when shorter), as strings. */
function shingles(text: string): Set<string> {
  const chars = [...normaliseForShingling(text).text];
  const width = Math.min(5, chars.length);
  const out = new Set<string>();
  for (let i = 0; i + width <= chars.length; i++) out.add(chars.slice(i, i + width).join(''));
  return out;
}

function exactJaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  let shared = 0;
  for (const s of x) if (y.has(s)) shared++;
  return shared / (x.size + y.size - shared);
}

/** `text` with each word replaced, with probability `rate`, by a word of `donor`: a pair at a chosen similarity. */
function mutate(text: string, donor: string, rate: number, seed: number): string {
  const random = createRandom(seed);
  const donorWords = donor.split(' ');
  return text
    .split(' ')
    .map((word) => (random() < rate ? donorWords[Math.floor(random() * donorWords.length)]! : word))
    .join(' ');
}

function errorOf(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('fmix32', () => {
  it('is MurmurHash3 fmix32', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});

describe('minhash', () => {
  it('gives 128 values, the same for the same text, and 1 for re-spaced and re-punctuated copies', () => {
    const text = koreanText(3, 2000);
    const signature = minhash(text);
    expect(signature).toHaveLength(MINHASH_SIZE);
    expect(minhash(text)).toEqual(signature);
    expect(estimateJaccard(minhash(repunctuate(respace(text, 4), 5, 0.1)), signature)).toBe(1);
    expect(minhash(normaliseForShingling(text))).toEqual(signature);
    expect(estimateJaccard(minhash(koreanText(4, 2000)), signature)).toBeLessThan(0.1);
  });

  it('takes a text shorter than 5 characters as one shingle, and refuses an empty one', () => {
    expect(estimateJaccard(minhash('한국'), minhash('한 국!'))).toBe(1);
    expect(estimateJaccard(minhash('한국'), minhash('한국어'))).toBe(0);
    expect(estimateJaccard(minhash('abcd'), minhash('abcde'))).toBe(0);
    for (const empty of ['', ' \n ', '...!?', '★☆ ^^']) {
      expect(errorOf(() => minhash(empty)).code).toBe('TEXT_INVALID');
      expect(errorOf(() => minhashClassic(empty)).code).toBe('TEXT_INVALID');
    }
  });

  it('estimates Jaccard as well as 128 independent permutations, on Korean and English pairs', () => {
    // Fixed seeds: the same pairs on every run. For K = 128 the standard deviation of one estimate is
    // sqrt(J(1 − J)/128) ≤ 0.044, so its mean absolute error is at most about 0.035; over 30 pairs per cell the mean
    // absolute error should stay under 0.05 and the bias (mean signed error) within ±0.025.
    const rows: string[] = [];
    for (const [language, generate] of [
      ['Korean', koreanText],
      ['English', englishText],
    ] as const) {
      for (const [length, rates] of [
        [2000, [0.03, 0.1, 0.25, 0.5, 0.8]],
        [120, [0.1, 0.3]],
      ] as const) {
        for (const rate of rates) {
          const errors = { oph: [] as number[], classic: [] as number[] };
          let meanJaccard = 0;
          for (let pair = 0; pair < 30; pair++) {
            const seed = 1000 * Math.round(rate * 100) + pair + length;
            const a = generate(seed, length);
            const b = mutate(a, generate(seed + 500_000, length), rate, seed);
            const exact = exactJaccard(a, b);
            meanJaccard += exact / 30;
            errors.oph.push(estimateJaccard(minhash(a), minhash(b)) - exact);
            errors.classic.push(estimateJaccard(minhashClassic(a), minhashClassic(b)) - exact);
          }
          for (const [method, list] of Object.entries(errors)) {
            const mae = list.reduce((s, e) => s + Math.abs(e), 0) / list.length;
            const bias = list.reduce((s, e) => s + e, 0) / list.length;
            rows.push(`${language} ${length} J≈${meanJaccard.toFixed(2)} ${method}: MAE ${mae.toFixed(3)}`);
            expect(mae, rows.at(-1)).toBeLessThan(0.05);
            expect(Math.abs(bias), `${rows.at(-1)} bias ${bias.toFixed(3)}`).toBeLessThan(0.025);
          }
        }
      }
    }
    expect(rows).toHaveLength(2 * 7 * 2);
  });

  it('is not a copy of minhashClassic', () => {
    const text = englishText(8, 500);
    expect(estimateJaccard(minhash(text), minhashClassic(text))).toBe(0);
  });

  it('refuses to compare signatures of different lengths', () => {
    expect(errorOf(() => estimateJaccard(new Uint32Array(128), new Uint32Array(64))).code).toBe('FINGERPRINT_INVALID');
    expect(errorOf(() => estimateJaccard(new Uint32Array(0), new Uint32Array(0))).code).toBe('FINGERPRINT_INVALID');
  });
});

describe('lshBandKeys', () => {
  const probability = (s: number, { bands, rows } = DEFAULT_LSH_BANDING): number => 1 - (1 - s ** rows) ** bands;

  it('uses 14 bands of 9 rows by default, with the documented S-curve', () => {
    expect(DEFAULT_LSH_BANDING).toEqual({ bands: 14, rows: 9 });
    expect((1 / 14) ** (1 / 9)).toBeCloseTo(0.746, 3);
    expect(probability(0.5)).toBeCloseTo(0.027, 3);
    expect(probability(0.6)).toBeCloseTo(0.13, 2);
    expect(probability(0.7)).toBeCloseTo(0.44, 2);
    expect(probability(0.8)).toBeCloseTo(0.87, 2);
    expect(probability(0.9)).toBeCloseTo(0.999, 3);
  });

  it('gives one key per band, equal exactly where the band rows are equal', () => {
    fc.assert(
      fc.property(
        fc.uint32Array({ minLength: 128, maxLength: 128 }),
        fc.nat({ max: 125 }),
        fc.integer({ min: 1, max: 0xffffffff }),
        (values, row, change) => {
          const keys = lshBandKeys(values);
          expect(keys).toHaveLength(14);
          expect(new Set(keys).size).toBe(14);
          for (const [band, key] of keys.entries()) expect(key).toMatch(new RegExp(`^b${band}:[0-9a-f]{16}$`));
          const changed = values.slice();
          changed[row] = (changed[row]! ^ change) >>> 0;
          const changedKeys = lshBandKeys(changed);
          for (let band = 0; band < 14; band++)
            expect(changedKeys[band] === keys[band]).toBe(band !== Math.floor(row / 9));
        },
      ),
    );
  });

  it('makes near-duplicates candidates and dissimilar pairs not', () => {
    let nearShared = 0;
    let farShared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const a = koreanText(seed, 2000);
      const near = mutate(a, koreanText(seed + 100, 2000), 0.01, seed);
      const far = mutate(a, koreanText(seed + 100, 2000), 0.4, seed);
      const keys = new Set(lshBandKeys(minhash(a)));
      if (lshBandKeys(minhash(near)).some((k) => keys.has(k))) nearShared++;
      if (lshBandKeys(minhash(far)).some((k) => keys.has(k))) farShared++;
    }
    expect(nearShared).toBeGreaterThanOrEqual(39);
    expect(farShared).toBeLessThanOrEqual(1);
  });

  it('refuses a banding that does not fit the signature', () => {
    const signature = new Uint32Array(128);
    for (const banding of [
      { bands: 15, rows: 9 },
      { bands: 0, rows: 9 },
      { bands: 14, rows: 0.5 },
    ])
      expect(errorOf(() => lshBandKeys(signature, banding)).code).toBe('FINGERPRINT_INVALID');
    expect(lshBandKeys(signature, { bands: 32, rows: 4 })).toHaveLength(32);
  });
});
