/**
 * What the media indexes share to read and write their snapshot sections: little-endian u32 fields, 8-byte aligned
 * parts, zero-copy `Uint32Array` views over the snapshot's (Shared)ArrayBuffer on little-endian machines (every
 * platform Node ships for but s390x), and one way to fail, `ScanError('SNAPSHOT_INVALID')`. Not exported from the
 * package: each index's module comment documents its own layout.
 */
import { ScanError } from '../../errors.js';

/** True on little-endian machines, where a section's u32 parts are read in place. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The error every malformed section becomes. */
export function invalidSection(what: string, message: string): ScanError {
  return new ScanError('SNAPSHOT_INVALID', `${what} section: ${message}`);
}

/** `n` rounded up to a multiple of 8. */
export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** The 4 bytes of a four-character tag as a little-endian u32 (`'HPDQ'` is bytes 48 50 44 51). */
export function magicOf(tag: string): number {
  return (tag.charCodeAt(0) | (tag.charCodeAt(1) << 8) | (tag.charCodeAt(2) << 16) | (tag.charCodeAt(3) << 24)) >>> 0;
}

/**
 * Checks that `bytes` is a Uint8Array of at least `headerBytes` bytes and returns it, copied once into a fresh buffer
 * when its offset is not 4-byte aligned (the scanner's snapshot loader always aligns sections to 8 bytes, so this is
 * for other callers), with the header's u32 fields.
 */
export function openSection(
  what: string,
  bytes: unknown,
  headerWords: number,
): { readonly bytes: Uint8Array; readonly header: readonly number[] } {
  if (!(bytes instanceof Uint8Array)) throw invalidSection(what, 'expected a Uint8Array');
  if (bytes.length < headerWords * 4) throw invalidSection(what, `${bytes.length} bytes is shorter than the header`);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const view = new DataView(aligned.buffer, aligned.byteOffset, headerWords * 4);
  const header: number[] = [];
  for (let i = 0; i < headerWords; i++) header.push(view.getUint32(i * 4, true));
  return { bytes: aligned, header };
}

/**
 * `count` little-endian u32 values at `offset` in `bytes` (4-byte aligned), in place when the machine is little-endian,
 * else decoded into a copy. The caller has checked that they lie inside `bytes`.
 */
export function u32Part(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  if (LITTLE_ENDIAN) return new Uint32Array(bytes.buffer, bytes.byteOffset + offset, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}

/**
 * `count` 32-bit words at `offset` in native order, always in place, as signed integers (V8 keeps them as small
 * integers, where u32 values over 2^31 would be boxed): for data compared only with itself, such as hash words whose
 * XOR popcount depends on neither byte order nor sign.
 */
export function nativeI32Part(bytes: Uint8Array, offset: number, count: number): Int32Array {
  return new Int32Array(bytes.buffer, bytes.byteOffset + offset, count);
}

/** Rewrites native-order u32 values as little-endian, in place; nothing to do on little-endian machines. */
export function toLittleEndian(words: Uint32Array): void {
  if (LITTLE_ENDIAN) return;
  const view = new DataView(words.buffer, words.byteOffset, words.byteLength);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i]!, true);
}

/** Writes u32 header fields little-endian at the start of `bytes`. */
export function writeHeader(bytes: Uint8Array, fields: readonly number[]): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, fields.length * 4);
  fields.forEach((value, i) => view.setUint32(i * 4, value, true));
}

/** Set bits of a 32-bit word (SWAR). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Whether a value is an array; a plain boolean, so that a typed readonly array keeps its element type. */
export function isList(value: unknown): boolean {
  return Array.isArray(value);
}
