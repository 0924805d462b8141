import { InvalidInputError, type InputIssue, type ParseResult } from '../../errors.js';
import { decodeBase64Url, encodeBase64Url } from '../../tlog/encoding.js';
import { MINHASH_SIZE, type MinHashSignature } from './minhash.js';
import type { WinnowFingerprints } from './winnow.js';

/** The text fingerprint algorithms, as the registry stores them: versioned, so a change of method is a new name. */
export const TEXT_FINGERPRINT_ALGORITHMS = [
  'sha256',
  'sha256-text-nfkc/1',
  'minhash-oph-c5-128/1',
  'winnow-c13-w16/1',
] as const;

/** One of `TEXT_FINGERPRINT_ALGORITHMS`. */
export type TextFingerprintAlgorithm = (typeof TEXT_FINGERPRINT_ALGORITHMS)[number];

/**
 * A text fingerprint, tagged by algorithm: `sha256` of the work's bytes, `sha256-text-nfkc/1` of its normalised text
 * (both lowercase hex), its MinHash signature, or its winnowing fingerprints.
 */
export type TextFingerprint =
  | { readonly algorithm: 'sha256'; readonly hex: string }
  | { readonly algorithm: 'sha256-text-nfkc/1'; readonly hex: string }
  | { readonly algorithm: 'minhash-oph-c5-128/1'; readonly signature: MinHashSignature }
  | { readonly algorithm: 'winnow-c13-w16/1'; readonly fingerprints: WinnowFingerprints };

/** A fingerprint as the registry stores it: the algorithm's name and a text value. */
export interface SerialisedTextFingerprint {
  readonly algorithm: TextFingerprintAlgorithm;
  readonly value: string;
}

/** Format version of the `winnow-c13-w16/1` binary value (its first byte). */
const WINNOW_FORMAT_VERSION = 1;
/** At most 4,194,304 fingerprints (a text of about 36 million characters): bounds what a hostile value can allocate. */
export const MAX_WINNOW_FINGERPRINTS = 1 << 22;
const MAX_WINNOW_BYTES = 1 + 5 + MAX_WINNOW_FINGERPRINTS * (5 + 8);
const MAX_WINNOW_VALUE = Math.ceil((MAX_WINNOW_BYTES * 4) / 3);
const MINHASH_VALUE_LENGTH = Math.ceil((MINHASH_SIZE * 4 * 4) / 3);
const HEX_DIGEST = /^[0-9a-f]{64}$/;

/** LEB128 writer into a growable byte buffer. */
class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array((this.length + extra) * 2);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  varint(value: number): void {
    this.reserve(5);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.length++] = rest;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.bytes[this.length++] = value >>> 24;
    this.bytes[this.length++] = (value >>> 16) & 0xff;
    this.bytes[this.length++] = (value >>> 8) & 0xff;
    this.bytes[this.length++] = value & 0xff;
  }
}

/** Strict reader: canonical LEB128 up to 2^32 − 1; every read past the end gives -1. */
class ByteReader {
  at = 0;

  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    return this.at < this.bytes.length ? this.bytes[this.at++]! : -1;
  }

  varint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      if (byte < 0) return -1;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        // Canonical: no trailing zero groups (only 0 itself may be a lone zero byte), and it fits in 32 bits.
        if (shift > 0 && byte === 0) return -1;
        return value <= 0xffffffff ? value : -1;
      }
    }
    return -1;
  }

  uint32(): number {
    if (this.at + 4 > this.bytes.length) return -1;
    const b = this.bytes;
    const value = ((b[this.at]! << 24) | (b[this.at + 1]! << 16) | (b[this.at + 2]! << 8) | b[this.at + 3]!) >>> 0;
    this.at += 4;
    return value;
  }
}

function winnowIssue(fingerprints: WinnowFingerprints): string | undefined {
  const { positions, hashHigh, hashLow } = fingerprints;
  if (hashHigh.length !== positions.length || hashLow.length !== positions.length)
    return 'positions, hashHigh and hashLow differ in length';
  if (positions.length > MAX_WINNOW_FINGERPRINTS) return `more than ${MAX_WINNOW_FINGERPRINTS} fingerprints`;
  for (let i = 1; i < positions.length; i++)
    if (positions[i]! <= positions[i - 1]!) return `positions do not increase at ${i}`;
  return undefined;
}

function encodeWinnow(fingerprints: WinnowFingerprints): Uint8Array {
  const { positions, hashHigh, hashLow } = fingerprints;
  const out = new ByteWriter(6 + positions.length * 10);
  out.byte(WINNOW_FORMAT_VERSION);
  out.varint(positions.length);
  let previous = 0;
  for (let i = 0; i < positions.length; i++) {
    out.varint(i === 0 ? positions[0]! : positions[i]! - previous);
    previous = positions[i]!;
    out.uint32(hashHigh[i]!);
    out.uint32(hashLow[i]!);
  }
  return out.bytes.subarray(0, out.length);
}

/**
 * Serialises a text fingerprint for the registry, stably (the same fingerprint always gives the same text):
 * - `sha256`, `sha256-text-nfkc/1`: the digest in lowercase hex;
 * - `minhash-oph-c5-128/1`: base64url without padding of the 128 values as big-endian uint32 (683 characters);
 * - `winnow-c13-w16/1`: base64url without padding of a binary value: a version byte (1), the fingerprint count as
 *   LEB128, then per fingerprint in order of position the position as LEB128 (the first absolute, each next as its
 *   distance from the one before, at least 1) and the 64-bit hash big-endian. Ordering by position rather than by
 *   hash keeps the position deltas to one byte (winnowing keeps one k-gram in about 8.5), so a fingerprint takes
 *   about 9 bytes: a 300,000-character novel's 35,000 fingerprints give about 420 kB of text.
 *
 * A fingerprint that `parseTextFingerprint` would refuse (a malformed digest, a signature of the wrong length,
 * positions that do not increase) throws `InvalidInputError('FINGERPRINT_INVALID')`.
 *
 * @example
 * ```ts
 * serialiseTextFingerprint({ algorithm: 'minhash-oph-c5-128/1', signature: minhash(text) })
 * // { algorithm: 'minhash-oph-c5-128/1', value: <683 base64url characters> }
 * ```
 */
export function serialiseTextFingerprint(fingerprint: TextFingerprint): SerialisedTextFingerprint {
  const refuse = (message: string): never => {
    throw new InvalidInputError('FINGERPRINT_INVALID', `cannot serialise ${fingerprint.algorithm}: ${message}`, [
      { path: fingerprint.algorithm, message },
    ]);
  };
  switch (fingerprint.algorithm) {
    case 'sha256':
    case 'sha256-text-nfkc/1':
      if (!HEX_DIGEST.test(fingerprint.hex)) refuse('expected 64 lowercase hex digits');
      return { algorithm: fingerprint.algorithm, value: fingerprint.hex };
    case 'minhash-oph-c5-128/1': {
      if (fingerprint.signature.length !== MINHASH_SIZE) refuse(`expected ${MINHASH_SIZE} values`);
      const out = new ByteWriter(MINHASH_SIZE * 4);
      for (const value of fingerprint.signature) out.uint32(value);
      return { algorithm: fingerprint.algorithm, value: encodeBase64Url(out.bytes) };
    }
    case 'winnow-c13-w16/1': {
      const issue = winnowIssue(fingerprint.fingerprints);
      if (issue !== undefined) refuse(issue);
      return { algorithm: fingerprint.algorithm, value: encodeBase64Url(encodeWinnow(fingerprint.fingerprints)) };
    }
    default: {
      const unknown: never = fingerprint;
      return unknown;
    }
  }
}

function fail(path: string, message: string): { ok: false; issues: InputIssue[] } {
  return { ok: false, issues: [{ path, message }] };
}

function parseWinnow(bytes: Uint8Array): ParseResult<WinnowFingerprints> {
  const input = new ByteReader(bytes);
  const version = input.byte();
  if (version !== WINNOW_FORMAT_VERSION) return fail('value', `unknown format version ${version}`);
  const count = input.varint();
  if (count < 0) return fail('value', 'malformed fingerprint count');
  if (count > MAX_WINNOW_FINGERPRINTS) return fail('value', `more than ${MAX_WINNOW_FINGERPRINTS} fingerprints`);
  // Each fingerprint takes at least 9 bytes: refuse before allocating for a count the value cannot hold.
  if (count * 9 > bytes.length - input.at) return fail('value', `too short for ${count} fingerprints`);
  const positions = new Uint32Array(count);
  const hashHigh = new Uint32Array(count);
  const hashLow = new Uint32Array(count);
  let position = 0;
  for (let i = 0; i < count; i++) {
    const delta = input.varint();
    if (delta < 0) return fail(`fingerprints[${i}]`, 'malformed position');
    if (i > 0 && delta === 0) return fail(`fingerprints[${i}]`, 'positions must increase');
    position += delta;
    if (position > 0xffffffff) return fail(`fingerprints[${i}]`, 'position beyond 2^32 − 1');
    const high = input.uint32();
    const low = input.uint32();
    if (high < 0 || low < 0) return fail(`fingerprints[${i}]`, 'truncated hash');
    positions[i] = position;
    hashHigh[i] = high;
    hashLow[i] = low;
  }
  if (input.at !== bytes.length) return fail('value', `${bytes.length - input.at} bytes after the last fingerprint`);
  return { ok: true, value: { positions, hashHigh, hashLow } };
}

/**
 * Parses a stored text fingerprint (`{ algorithm, value }` as `serialiseTextFingerprint` writes it). The input is
 * treated as hostile: sizes are bounded before decoding (`MAX_WINNOW_FINGERPRINTS`), only the canonical encoding
 * is accepted (so parse and serialise are inverse), and anything else gives issues with `FINGERPRINT_INVALID`
 * meaning (`{ ok: false, issues }`); it never throws.
 *
 * @example
 * ```ts
 * const parsed = parseTextFingerprint(row.algorithm, row.value);
 * if (parsed.ok && parsed.value.algorithm === 'winnow-c13-w16/1') findContainment(parsed.value.fingerprints, doc);
 * ```
 */
export function parseTextFingerprint(algorithm: string, value: string): ParseResult<TextFingerprint> {
  if (typeof algorithm !== 'string' || typeof value !== 'string') return fail('(root)', 'expected two strings');
  switch (algorithm) {
    case 'sha256':
    case 'sha256-text-nfkc/1':
      return HEX_DIGEST.test(value)
        ? { ok: true, value: { algorithm, hex: value } }
        : fail('value', 'expected 64 lowercase hex digits');
    case 'minhash-oph-c5-128/1': {
      if (value.length !== MINHASH_VALUE_LENGTH) return fail('value', `expected ${MINHASH_VALUE_LENGTH} characters`);
      const bytes = decodeBase64Url(value);
      if (bytes === undefined) return fail('value', 'not canonical unpadded base64url');
      const reader = new ByteReader(bytes);
      const signature = new Uint32Array(MINHASH_SIZE);
      for (let i = 0; i < MINHASH_SIZE; i++) signature[i] = reader.uint32();
      return { ok: true, value: { algorithm, signature } };
    }
    case 'winnow-c13-w16/1': {
      if (value.length > MAX_WINNOW_VALUE) return fail('value', `longer than ${MAX_WINNOW_VALUE} characters`);
      const bytes = decodeBase64Url(value);
      if (bytes === undefined) return fail('value', 'not canonical unpadded base64url');
      const parsed = parseWinnow(bytes);
      return parsed.ok ? { ok: true, value: { algorithm, fingerprints: parsed.value } } : parsed;
    }
    default:
      return fail('algorithm', `unknown text fingerprint algorithm ${JSON.stringify(algorithm.slice(0, 64))}`);
  }
}

/**
 * All four fingerprints of a text work, serialised for the registry in `TEXT_FINGERPRINT_ALGORITHMS` order.
 *
 * @example
 * ```ts
 * const rows = serialiseTextFingerprints(fingerprintText(bytes)); // [{ algorithm: 'sha256', value: '…' }, …]
 * ```
 */
export function serialiseTextFingerprints(fingerprints: {
  readonly sha256: string;
  readonly normalisedSha256: string;
  readonly minhash: MinHashSignature;
  readonly winnow: WinnowFingerprints;
}): SerialisedTextFingerprint[] {
  return [
    serialiseTextFingerprint({ algorithm: 'sha256', hex: fingerprints.sha256 }),
    serialiseTextFingerprint({ algorithm: 'sha256-text-nfkc/1', hex: fingerprints.normalisedSha256 }),
    serialiseTextFingerprint({ algorithm: 'minhash-oph-c5-128/1', signature: fingerprints.minhash }),
    serialiseTextFingerprint({ algorithm: 'winnow-c13-w16/1', fingerprints: fingerprints.winnow }),
  ];
}
