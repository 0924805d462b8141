import { InvalidInputError, type ParseResult } from '../errors.js';
import { concatBytes, encodeUtf8 } from './encoding.js';

/**
 * C2SP tlog-cosignature, Ed25519 `cosignature/v1`: a witness signs "cosignature/v1", the time, and the whole
 * checkpoint text, and its note signature is the 8-byte big-endian time followed by the 64-byte Ed25519 signature.
 */

/** The domain-separation header line of an Ed25519 cosignature (c2sp.org/tlog-cosignature). */
export const COSIGNATURE_V1_HEADER = 'cosignature/v1';

/** tlog-cosignature: the timestamp "MUST NOT exceed 2^63 - 1". */
export const MAX_COSIGNATURE_TIME = (1n << 63n) - 1n;

const ED25519_SIGNATURE_SIZE = 64;

/** A parsed `timestamped_signature`: seconds since the POSIX epoch and the Ed25519 signature. */
export interface TimestampedSignature {
  readonly timestamp: bigint;
  readonly signature: Uint8Array;
}

function checkTimestamp(timestamp: bigint): void {
  if (typeof timestamp !== 'bigint' || timestamp < 0n || timestamp > MAX_COSIGNATURE_TIME) {
    throw new InvalidInputError('TIME_INVALID', 'a cosignature timestamp must be a bigint between 0 and 2^63 - 1', [
      { path: 'timestamp', message: 'expected seconds since the epoch, between 0 and 2^63 - 1' },
    ]);
  }
}

/**
 * The message an Ed25519 `cosignature/v1` signs: the header line, `time <seconds>`, then the checkpoint's note text
 * (with its final newline, without signature lines). Throws `TIME_INVALID` for a timestamp outside 0..2^63-1.
 *
 * @example
 * ```ts
 * cosignatureV1Message('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n', 1679315147n)
 * // 'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUY…q2I=\n'
 * ```
 */
export function cosignatureV1Message(checkpointText: string, timestamp: bigint): string {
  checkTimestamp(timestamp);
  return `${COSIGNATURE_V1_HEADER}\ntime ${timestamp.toString()}\n${checkpointText}`;
}

/** The bytes of `cosignatureV1Message`, from the checkpoint text's bytes as they were signed. */
export function cosignatureV1MessageBytes(checkpointText: Uint8Array, timestamp: bigint): Uint8Array {
  checkTimestamp(timestamp);
  return concatBytes(encodeUtf8(`${COSIGNATURE_V1_HEADER}\ntime ${timestamp.toString()}\n`), checkpointText);
}

/** Writes a `timestamped_signature`: the time as a big-endian uint64, then the signature. */
export function encodeTimestampedSignature(value: TimestampedSignature): Uint8Array {
  checkTimestamp(value.timestamp);
  const out = new Uint8Array(8 + value.signature.length);
  new DataView(out.buffer).setBigUint64(0, value.timestamp);
  out.set(value.signature, 8);
  return out;
}

/**
 * Reads the signature bytes of a `cosignature/v1` note signature (after the 4-byte key ID): exactly 8 + 64 bytes, with
 * a timestamp no larger than 2^63 - 1. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseCosignature(signature.signature);
 * if (parsed.ok) new Date(Number(parsed.value.timestamp) * 1000)
 * ```
 */
export function parseCosignature(bytes: Uint8Array): ParseResult<TimestampedSignature> {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 8 + ED25519_SIGNATURE_SIZE) {
    return { ok: false, issues: [{ path: 'signature', message: 'expected an 8-byte time and a 64-byte signature' }] };
  }
  const timestamp = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
  if (timestamp > MAX_COSIGNATURE_TIME) {
    return { ok: false, issues: [{ path: 'timestamp', message: 'the timestamp exceeds 2^63 - 1' }] };
  }
  return { ok: true, value: { timestamp, signature: bytes.slice(8) } };
}
