import { InvalidInputError } from '../../errors.js';
import { fmix32 } from './mix32.js';
import type { MinHashSignature } from './minhash.js';

/** LSH banding parameters: `bands` groups of `rows` consecutive signature values. */
export interface LshBanding {
  readonly bands: number;
  readonly rows: number;
}

/**
 * The default banding for 128-value signatures: 14 bands of 9 rows, datasketch's `_optimal_param` for threshold 0.7
 * with equal false-positive and false-negative weights (research/matching.md §1.1).
 */
export const DEFAULT_LSH_BANDING: LshBanding = { bands: 14, rows: 9 };

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/**
 * The band keys of a MinHash signature for an LSH index: two texts become candidates when they share at least one
 * key. Band i hashes rows `i·rows … i·rows + rows − 1` of the signature to 64 bits (two fmix32 chains with
 * different keys), and its key is `b<i>:<16 hex digits>`, so keys from different bands never collide. Keys made with
 * different (bands, rows) must not share an index.
 *
 * With Jaccard similarity s, a pair shares a band with probability P(s) = 1 − (1 − s^r)^b (the S-curve; threshold
 * about (1/b)^(1/r)). For the default (14, 9) the threshold is ≈ 0.746 and P(0.5) ≈ 0.027, P(0.6) ≈ 0.13,
 * P(0.7) ≈ 0.44, P(0.8) ≈ 0.87, P(0.9) ≈ 0.999: near-duplicates at 0.8 or more are found, pairs at 0.5 rarely
 * become candidates. `bands × rows` must not exceed the signature length (126 of 128 values used by default);
 * anything else throws `InvalidInputError('FINGERPRINT_INVALID')`.
 *
 * @example
 * ```ts
 * lshBandKeys(minhash(text)) // 14 keys: 'b0:' + 16 hex digits, … 'b13:' + 16 hex digits
 * lshBandKeys(signature, { bands: 25, rows: 5 }) // threshold ≈ 0.5
 * ```
 */
export function lshBandKeys(signature: MinHashSignature, banding: LshBanding = DEFAULT_LSH_BANDING): string[] {
  const { bands, rows } = banding;
  if (!Number.isInteger(bands) || !Number.isInteger(rows) || bands < 1 || rows < 1 || bands * rows > signature.length)
    throw new InvalidInputError('FINGERPRINT_INVALID', 'LSH banding does not fit the signature', [
      { path: '(root)', message: `${bands} bands × ${rows} rows for a signature of ${signature.length} values` },
    ]);
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let high = 0x6a09e667 ^ band;
    let low = 0xbb67ae85 ^ Math.imul(band, 0x9e3779b1);
    for (let row = band * rows; row < (band + 1) * rows; row++) {
      const value = signature[row]!;
      high = fmix32(((high ^ value) + 0x243f6a88) | 0);
      low = fmix32((Math.imul(low ^ value, 0x01000193) + 0x13198a2e) | 0);
    }
    keys.push(`b${band}:${hex8(high)}${hex8(low)}`);
  }
  return keys;
}
