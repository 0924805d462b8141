import { fmix32, powMod32 } from './mix32.js';
import { normalisedCodePoints, type NormalisedText } from './normalise-for-shingling.js';

/** Characters per winnowed k-gram (research/matching.md §0: k ≈ 12–13 for whitespace-stripped text). */
export const WINNOW_K = 13;
/** k-grams per winnowing window; any shared run of at least k + w − 1 = 28 characters shares a fingerprint. */
export const WINNOW_W = 16;

/**
 * The winnowing fingerprints of a text, in order of position: fingerprint i is the 64-bit hash
 * `hashHigh[i] · 2^32 + hashLow[i]` of the k-gram starting at character `positions[i]` of the normalised text.
 * Positions strictly increase.
 */
export interface WinnowFingerprints {
  readonly positions: Uint32Array;
  readonly hashHigh: Uint32Array;
  readonly hashLow: Uint32Array;
}

const KEY_HIGH = 0x1b873593;
const KEY_LOW = 0x5bd1e995;
const BASE_HIGH = 0x2c1b3c6d;
const BASE_LOW = 0x297a2d39;
const POW_HIGH = powMod32(BASE_HIGH, WINNOW_K - 1);
const POW_LOW = powMod32(BASE_LOW, WINNOW_K - 1);

// Scratch arrays reused across documents up to SCRATCH_LIMIT characters (a scan fingerprints millions of small
// documents); a longer text gets arrays of its own, so that one novel does not pin its buffers forever.
const SCRATCH_LIMIT = 1 << 16;

interface Scratch {
  readonly lettersHigh: Uint32Array;
  readonly lettersLow: Uint32Array;
  readonly gramHigh: Uint32Array;
  readonly gramLow: Uint32Array;
}

const allocateScratch = (size: number): Scratch => ({
  lettersHigh: new Uint32Array(size),
  lettersLow: new Uint32Array(size),
  gramHigh: new Uint32Array(size),
  gramLow: new Uint32Array(size),
});

let shared: Scratch | undefined;

function scratchFor(n: number): Scratch {
  if (n > SCRATCH_LIMIT) return allocateScratch(n);
  return (shared ??= allocateScratch(SCRATCH_LIMIT));
}

/**
 * Winnows a text (Schleimer, Wilkerson & Aiken, "Winnowing: local algorithms for document fingerprinting", SIGMOD
 * 2003) with k = 13 characters and w = 16: hashes every 13-gram of the normalised text to 64 bits (two independent
 * 32-bit rolling lanes; 32 bits alone give spurious hits at registry scale, research/matching.md §1.3), and keeps
 * the minimum hash of every window of 16 consecutive k-grams. Ties follow the paper's robust winnowing: keep
 * the hash already chosen for the previous window when it is still a minimum, else take the rightmost minimum. The
 * window minimum is kept as it slides and found again only when it leaves, so the whole text costs O(n·w) at worst
 * and about 2n comparisons on random hashes. Density is about 2/(w + 1): a 300,000-character novel gives about
 * 35,000 fingerprints. A text shorter than k characters has none; one shorter than k + w − 1 characters has one
 * window. A string is normalised first (`normaliseForShingling`).
 *
 * @example
 * ```ts
 * const work = winnow(novelText);
 * work.positions.length // ≈ 0.118 × characters
 * ```
 */
export function winnow(input: string | NormalisedText): WinnowFingerprints {
  // A string's code points are in the normaliser's scratch array, read at once.
  return winnowCodePoints(typeof input === 'string' ? normalisedCodePoints(input) : input.codePoints);
}

/**
 * `winnow` of normalised code points: what `fingerprintText` calls on the code points it normalised.
 *
 * @example
 * ```ts
 * winnowCodePoints(normaliseForShingling(text).codePoints) // the same as winnow(text)
 * ```
 */
export function winnowCodePoints(codePoints: Uint32Array): WinnowFingerprints {
  const n = codePoints.length;
  const grams = n - WINNOW_K + 1;
  if (grams <= 0) return { positions: new Uint32Array(0), hashHigh: new Uint32Array(0), hashLow: new Uint32Array(0) };
  const { lettersHigh, lettersLow, gramHigh, gramLow } = scratchFor(n);
  // Each lane has its own keyed mix of the characters and its own base, so the lanes are independent hashes: a pair of
  // different k-grams collides in both with probability about 2^-64.
  for (let i = 0; i < n; i++) {
    lettersHigh[i] = fmix32((codePoints[i]! + KEY_HIGH) | 0);
    lettersLow[i] = fmix32((codePoints[i]! ^ KEY_LOW) | 0);
  }
  let high = 0;
  let low = 0;
  for (let i = 0; i < WINNOW_K; i++) {
    high = (Math.imul(high, BASE_HIGH) + lettersHigh[i]!) | 0;
    low = (Math.imul(low, BASE_LOW) + lettersLow[i]!) | 0;
  }
  gramHigh[0] = fmix32(high ^ 0x68e31da4);
  // The high lane orders k-grams, so it gets the finaliser's avalanche; the low lane only tells hashes apart, and a
  // bijection would not change which k-grams collide.
  gramLow[0] = low >>> 0;
  for (let i = 1; i < grams; i++) {
    const leaving = i - 1;
    const entering = i + WINNOW_K - 1;
    high = (Math.imul((high - Math.imul(lettersHigh[leaving]!, POW_HIGH)) | 0, BASE_HIGH) + lettersHigh[entering]!) | 0;
    low = (Math.imul((low - Math.imul(lettersLow[leaving]!, POW_LOW)) | 0, BASE_LOW) + lettersLow[entering]!) | 0;
    gramHigh[i] = fmix32(high ^ 0x68e31da4);
    gramLow[i] = low >>> 0;
  }

  const capacity = Math.min(grams, Math.ceil((grams * 2) / (WINNOW_W + 1)) + 64);
  let positions = new Uint32Array(capacity);
  let count = 0;
  let chosen = -1;
  // The rightmost minimum of the current window. A k-gram that enters with a hash at most the minimum's is the new
  // rightmost minimum (every other k-gram of the window was in the previous window, where nothing was smaller).
  // Otherwise the minimum stays unless it has just left the window; then the window is scanned again: w comparisons,
  // for about one k-gram in w on random hashes (when the one leaving was the minimum), never more than w per k-gram.
  // Unlike a monotonic deque, whose pops hang on a comparison each, the common case is one well-predicted branch.
  let minimum = 0;
  let minHigh = gramHigh[0];
  let minLow = gramLow[0];
  const lastWindowEnd = Math.min(grams, WINNOW_W) - 1;
  for (let i = 0; i < grams; i++) {
    const ih = gramHigh[i]!;
    const il = gramLow[i]!;
    const windowStart = i - WINNOW_W + 1;
    if (ih < minHigh || (ih === minHigh && il <= minLow)) {
      minimum = i;
      minHigh = ih;
      minLow = il;
    } else if (minimum < windowStart) {
      minimum = windowStart;
      minHigh = gramHigh[windowStart]!;
      minLow = gramLow[windowStart]!;
      for (let j = windowStart + 1; j <= i; j++) {
        const jh = gramHigh[j]!;
        if (jh < minHigh || (jh === minHigh && gramLow[j]! <= minLow)) {
          minimum = j;
          minHigh = jh;
          minLow = gramLow[j]!;
        }
      }
    }
    if (i < lastWindowEnd) continue;
    if (minimum === chosen) continue;
    // Robust winnowing: an earlier minimum with the same hash, still in the window, stays chosen.
    if (
      chosen >= 0 &&
      chosen >= windowStart &&
      gramHigh[chosen] === gramHigh[minimum] &&
      gramLow[chosen] === gramLow[minimum]
    )
      continue;
    {
      if (count === positions.length) {
        const grown = new Uint32Array(Math.min(grams, positions.length * 2));
        grown.set(positions);
        positions = grown;
      }
      positions[count++] = minimum;
      chosen = minimum;
    }
  }
  const hashHigh = new Uint32Array(count);
  const hashLow = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    hashHigh[i] = gramHigh[positions[i]!]!;
    hashLow[i] = gramLow[positions[i]!]!;
  }
  return { positions: positions.slice(0, count), hashHigh, hashLow };
}
