import { InvalidInputError } from '../../errors.js';
import { fmix32, powMod32 } from './mix32.js';
import { normalisedCodePoints, type NormalisedText } from './normalise-for-shingling.js';

/** Values in a MinHash signature (research/matching.md §0: K = 128). */
export const MINHASH_SIZE = 128;
/** Characters per shingle: character 5-grams of the normalised text (research/matching.md §1.2). */
export const MINHASH_SHINGLE = 5;

/** A MinHash signature: `MINHASH_SIZE` unsigned 32-bit values; equal positions estimate Jaccard similarity. */
export type MinHashSignature = Uint32Array;

const LETTER_KEY = 0x3c6ef372;
const BASE = 0x9e3779b1; // odd, so multiplication by it is invertible modulo 2^32
const BASE_POW = powMod32(BASE, MINHASH_SHINGLE - 1);
const BIN_SHIFT = 25; // 2^(32-25) = 128 bins: the top 7 bits of a shingle hash choose its bin
const DENSIFY_ATTEMPTS = 4096;
const EMPTY = 2 ** 32; // above every 32-bit hash: marks a bin no shingle fell into

// Reused across documents up to 2^16 characters; a longer text gets an array of its own, not pinned forever.
const SCRATCH_LIMIT = 1 << 16;
let sharedHashes: Uint32Array | undefined;
let sharedMinimum: Float64Array | undefined;

function codePointsOf(input: string | NormalisedText): Uint32Array {
  // A string's code points are in the normaliser's scratch array: read at once, before anything normalises again.
  const codePoints = typeof input === 'string' ? normalisedCodePoints(input) : input.codePoints;
  if (codePoints.length === 0)
    throw new InvalidInputError('TEXT_INVALID', 'text has no characters left after normalisation', [
      { path: '(root)', message: 'nothing but whitespace, punctuation, symbols or control characters' },
    ]);
  return codePoints;
}

/**
 * Writes the 32-bit hash of every character 5-gram of `codePoints` (or of the whole text, as one shingle, when it has
 * fewer than 5 characters) into a scratch array and returns how many there are. A rolling polynomial modulo 2^32
 * over the code points (each character enters and leaves it once: one multiply-add per shingle, whatever its
 * length), finalised with fmix32, keyed and salted with the shingle length so that every output bit depends on
 * every input bit. Two different 5-grams collide with probability about 2^-32, which only adds noise of that size
 * to a Jaccard estimate.
 */
function shingleHashes(codePoints: Uint32Array): { hashes: Uint32Array; count: number } {
  const n = codePoints.length;
  const out = n > SCRATCH_LIMIT ? new Uint32Array(n) : (sharedHashes ??= new Uint32Array(SCRATCH_LIMIT));
  const width = n < MINHASH_SHINGLE ? n : MINHASH_SHINGLE;
  const salt = Math.imul(width, 0x27d4eb2f) ^ LETTER_KEY;
  let h = 0;
  for (let i = 0; i < width; i++) h = (Math.imul(h, BASE) + codePoints[i]!) | 0;
  out[0] = fmix32(h ^ salt);
  let count = 1;
  for (let i = width; i < n; i++) {
    h = (Math.imul((h - Math.imul(codePoints[i - width]!, BASE_POW)) | 0, BASE) + codePoints[i]!) | 0;
    out[count++] = fmix32(h ^ salt);
  }
  return { hashes: out, count };
}

/**
 * The MinHash signature of a text (`minhash-oph-c5-128/1`): one-permutation hashing (Li, Owen & Zhang, NIPS 2012)
 * with optimal densification (Shrivastava, ICML 2017). Each character 5-gram of the normalised text is hashed once;
 * the top 7 bits of its hash choose one of 128 bins and the bin keeps its smallest hash. An empty bin i copies the bin
 * chosen by a fixed pseudo-random sequence h(i, 1), h(i, 2)… until a filled one turns up, so two texts fill empty
 * bins the same way and the fraction of equal values stays an unbiased Jaccard estimate, with about the variance of
 * 128 independent permutations (checked against `minhashClassic` in minhash.test.ts). A string is normalised first
 * (`normaliseForShingling`; normalising twice changes nothing, so an already normalised string is fine).
 *
 * Throws `InvalidInputError('TEXT_INVALID')` when nothing is left after normalisation.
 *
 * @example
 * ```ts
 * const a = minhash('그는 천천히 문을 열었다. 바람이 불었다.');
 * const b = minhash('그는 천천히 문을 열었다, 바람이 불었다!');
 * estimateJaccard(a, b) // 1: spacing and punctuation do not count
 * ```
 */
export function minhash(input: string | NormalisedText): MinHashSignature {
  return minhashOfCodePoints(codePointsOf(input));
}

/**
 * `minhash` of normalised code points, at least one: what `fingerprintText` calls on the code points it normalised.
 *
 * @example
 * ```ts
 * minhashOfCodePoints(normaliseForShingling(text).codePoints) // the same as minhash(text)
 * ```
 */
export function minhashOfCodePoints(codePoints: Uint32Array): MinHashSignature {
  const n = codePoints.length;
  // Each bin starts at 2^32, above every hash; a bin still there afterwards is empty. The bins live in a scratch
  // array: 128 doubles, cleared here, so a document allocates only its signature.
  const minimum = (sharedMinimum ??= new Float64Array(MINHASH_SIZE)).fill(EMPTY);
  // The shingle hashes of `shingleHashes`, computed inline and binned as they come, without storing them: the same
  // rolling polynomial, salt and fmix32 (written out, so that the loop does not depend on the call being inlined).
  const width = n < MINHASH_SHINGLE ? n : MINHASH_SHINGLE;
  const salt = Math.imul(width, 0x27d4eb2f) ^ LETTER_KEY;
  let h = 0;
  for (let i = 0; i < width; i++) h = (Math.imul(h, BASE) + codePoints[i]!) | 0;
  for (let i = width; ; i++) {
    let x = h ^ salt;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    const hash = x >>> 0;
    const bin = hash >>> BIN_SHIFT;
    if (hash < minimum[bin]!) minimum[bin] = hash;
    if (i >= n) break;
    h = (Math.imul((h - Math.imul(codePoints[i - width]!, BASE_POW)) | 0, BASE) + codePoints[i]!) | 0;
  }
  const signature = new Uint32Array(MINHASH_SIZE);
  for (let i = 0; i < MINHASH_SIZE; i++) {
    if (minimum[i]! !== EMPTY) {
      signature[i] = minimum[i]!;
      continue;
    }
    let source = -1;
    for (let attempt = 1; attempt <= DENSIFY_ATTEMPTS && source < 0; attempt++) {
      const candidate = fmix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77)) >>> BIN_SHIFT;
      if (minimum[candidate]! !== EMPTY) source = candidate;
    }
    // With one filled bin in 128, 4096 misses in a row have probability e^-32; the scan keeps it deterministic anyway.
    for (let j = 1; source < 0; j++) if (minimum[(i + j) % MINHASH_SIZE]! !== EMPTY) source = (i + j) % MINHASH_SIZE;
    signature[i] = minimum[source]!;
  }
  return signature;
}

const CLASSIC_MULTIPLIERS = Uint32Array.from({ length: MINHASH_SIZE }, (_, k) => fmix32(2 * k + 0x51ed27) | 1);
const CLASSIC_OFFSETS = Uint32Array.from({ length: MINHASH_SIZE }, (_, k) => fmix32(k + 0x7f4a7c15));

/**
 * The classic MinHash baseline: 128 independent permutations of the same 32-bit shingle hashes as `minhash` (an odd
 * affine map then fmix32, each a bijection on 32-bit words), minimum per permutation. It costs 128 hash evaluations
 * per shingle, which is why `minhash` exists; tests use it to check `minhash`'s Jaccard estimates. Its values are not
 * comparable with `minhash` signatures.
 *
 * @example
 * ```ts
 * estimateJaccard(minhashClassic(textA), minhashClassic(textB)) // ≈ exact Jaccard of the 5-gram sets
 * ```
 */
export function minhashClassic(input: string | NormalisedText): MinHashSignature {
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  const { hashes: shingles, count } = shingleHashes(codePointsOf(input));
  for (let i = 0; i < count; i++) {
    const hash = shingles[i]!;
    for (let k = 0; k < MINHASH_SIZE; k++) {
      const permuted = fmix32((Math.imul(hash, CLASSIC_MULTIPLIERS[k]!) + CLASSIC_OFFSETS[k]!) | 0);
      if (permuted < signature[k]!) signature[k] = permuted;
    }
  }
  return signature;
}

/**
 * Estimates the Jaccard similarity of two texts' shingle sets from their MinHash signatures: the fraction of
 * positions where they agree. Both must come from the same function (`minhash` or `minhashClassic`); signatures of
 * different lengths throw `InvalidInputError('FINGERPRINT_INVALID')`.
 *
 * @example
 * ```ts
 * estimateJaccard(minhash(original), minhash(copy)) // 0.92
 * ```
 */
export function estimateJaccard(a: MinHashSignature, b: MinHashSignature): number {
  if (a.length !== b.length || a.length === 0)
    throw new InvalidInputError('FINGERPRINT_INVALID', 'MinHash signatures of different or zero lengths', [
      { path: '(root)', message: `lengths ${a.length} and ${b.length}` },
    ]);
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}
