/**
 * The `pdq/1` text form of a PDQ fingerprint, as the registry stores it and the API sends it: the 64 lower-case hex
 * digits of the hash (the reference's format), a colon, and the quality in decimal: `d8f8…9b22:100`.
 */

import { InvalidInputError, type ParseResult } from '../../errors.js';
import { PDQ_HASH_BYTES, pdqHashFromHex, pdqHashToHex, type PdqFingerprint } from './pdq.js';

/**
 * The algorithm identifier of {@link serialisePdq}'s format. A change to the hash or its text form gets a new one.
 *
 * @example
 * ```ts
 * const stored = { algorithm: PDQ_ALGORITHM, value: serialisePdq(result) };
 * ```
 */
export const PDQ_ALGORITHM = 'pdq/1';

// Canonical only: lower-case hex, quality 0–100 without leading zeros, so every fingerprint has one text form.
const PDQ_VALUE = /^([0-9a-f]{64}):(100|[1-9]?[0-9])$/;
const MAX_VALUE_LENGTH = 2 * PDQ_HASH_BYTES + 4;

/**
 * Writes a hash and its quality as a `pdq/1` value (`<64 hex>:<quality>`); the dihedral variants are not part of
 * it (a registry that wants them stores them beside it).
 *
 * @throws InvalidInputError `FINGERPRINT_INVALID` when the hash is not 32 bytes or the quality is not an integer
 *   from 0 to 100.
 * @example
 * ```ts
 * serialisePdq({ hash, quality: 100 }) // 'd8f8f0cce0f4a84f…9b22:100'
 * ```
 */
export function serialisePdq(fingerprint: Pick<PdqFingerprint, 'hash' | 'quality'>): string {
  const { hash, quality } = fingerprint;
  if (!(hash instanceof Uint8Array) || hash.length !== PDQ_HASH_BYTES) {
    throw new InvalidInputError('FINGERPRINT_INVALID', 'a PDQ hash is 32 bytes', [
      { path: 'hash', message: 'must be 32 bytes' },
    ]);
  }
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new InvalidInputError('FINGERPRINT_INVALID', 'PDQ quality is an integer from 0 to 100', [
      { path: 'quality', message: 'must be an integer from 0 to 100' },
    ]);
  }
  return `${pdqHashToHex(hash)}:${quality}`;
}

/**
 * Reads a `pdq/1` value back; never throws. Only the canonical form written by {@link serialisePdq} is accepted
 * (lower-case hex, no spaces, no leading zeros in the quality), so that equal fingerprints have equal text.
 *
 * @example
 * ```ts
 * const parsed = parsePdq('d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6b39c4e9c9b22:100');
 * if (parsed.ok) comparePdq(query, parsed.value);
 * ```
 */
export function parsePdq(value: string): ParseResult<PdqFingerprint> {
  if (typeof value !== 'string') return { ok: false, issues: [{ path: '(root)', message: 'expected a string' }] };
  if (value.length > MAX_VALUE_LENGTH) {
    return { ok: false, issues: [{ path: '(root)', message: `longer than ${MAX_VALUE_LENGTH} characters` }] };
  }
  const match = PDQ_VALUE.exec(value);
  if (match === null) {
    return {
      ok: false,
      issues: [{ path: '(root)', message: 'expected 64 lower-case hex digits, a colon and a quality from 0 to 100' }],
    };
  }
  return { ok: true, value: { hash: pdqHashFromHex(match[1]!)!, quality: Number(match[2]) } };
}
