/**
 * 32-bit hashing primitives shared by MinHash, winnowing and LSH banding. Everything works on `Math.imul` and unsigned
 * shifts, so it is exact in every JavaScript engine and fast: no bigint, no allocation. Shingles are hashed with a
 * rolling polynomial modulo 2^32 (each code point enters and leaves it once, whatever the shingle length), then
 * finalised with MurmurHash3's `fmix32` so that every output bit depends on every input bit.
 */

/**
 * MurmurHash3's 32-bit finaliser (Appleby, `MurmurHash3.cpp`, `fmix32`): a bijection on 32-bit words with full
 * avalanche. Returns an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * fmix32(0) // 0
 * fmix32(1) // 0x514e28b7
 * ```
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * `base^exponent` modulo 2^32, as a signed 32-bit integer (what the rolling update subtracts for the character that
 * leaves the window).
 *
 * @example
 * ```ts
 * powMod32(3, 2) // 9
 * ```
 */
export function powMod32(base: number, exponent: number): number {
  let out = 1;
  for (let i = 0; i < exponent; i++) out = Math.imul(out, base);
  return out;
}
