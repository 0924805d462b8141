import { createHash } from 'node:crypto';
import { lshBandKeys, type MinHashSignature } from '@heoga/core';

/**
 * How match keys are derived, on both sides: the snapshot writer and the scanner must agree bit for bit. Exact keys
 * are the first 64 bits of a SHA-256 (a digest itself, or of `scheme \0 value` for an identifier): with a million
 * works, a false hit needs a 64-bit collision, about 1 in 10^13 per lookup.
 */

/** The first 64 bits of a lowercase hex digest, as (high, low) u32 halves; undefined when it is not hex. */
export function hexKey(hex: string): [number, number] | undefined {
  if (!/^[0-9a-f]{16}/.test(hex)) return undefined;
  return [Number.parseInt(hex.slice(0, 8), 16), Number.parseInt(hex.slice(8, 16), 16)];
}

/** The key of an identifier, a URL or a URL prefix: the first 64 bits of SHA-256(`scheme \0 normalised value`). */
export function identifierKey(scheme: string, value: string): [number, number] {
  const digest = createHash('sha256').update(`${scheme}\u0000${value}`).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

/** The 64-bit LSH band keys of a MinHash signature (core's `lshBandKeys`, as numbers): `[hi0, lo0, hi1, lo1, …]`. */
export function bandKeys(signature: MinHashSignature): Uint32Array {
  const keys = lshBandKeys(signature);
  const out = new Uint32Array(keys.length * 2);
  keys.forEach((key, band) => {
    // 'b<i>:' then 16 hex digits.
    const hex = key.slice(key.indexOf(':') + 1);
    out[band * 2] = Number.parseInt(hex.slice(0, 8), 16);
    out[band * 2 + 1] = Number.parseInt(hex.slice(8, 16), 16);
  });
  return out;
}
