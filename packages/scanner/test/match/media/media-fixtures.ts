/**
 * Seeded material for the media index tests and benchmark: random PDQ hashes and near-duplicates, raw Chromaprint
 * items with bit errors, vPDQ frame sequences, and an assertion that a section parser failed the typed way.
 */
import { expect } from 'vitest';
import { ScanError } from '../../../src/errors.js';

/** mulberry32, as the text corpus uses: uniform numbers in [0, 1) from a seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform 32-bit word. */
export function word(random: () => number): number {
  return Math.floor(random() * 4294967296) >>> 0;
}

/** `count` random 32-byte hashes, concatenated. */
export function randomHashes(random: () => number, count: number): Uint8Array {
  const out = new Uint8Array(count * 32);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** A copy of `hash` with `flips` distinct random bits flipped. */
export function flipBits(random: () => number, hash: Uint8Array, flips: number): Uint8Array {
  const out = hash.slice();
  const bits = out.length * 8;
  const chosen = new Set<number>();
  while (chosen.size < Math.min(flips, bits)) chosen.add(Math.floor(random() * bits));
  for (const bit of chosen) out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

/** A copy of raw Chromaprint items with each bit flipped with probability `ber`. */
export function withBitErrors(random: () => number, items: Uint32Array, ber: number): Uint32Array {
  const out = items.slice();
  for (let i = 0; i < out.length; i++) {
    let mask = 0;
    for (let b = 0; b < 32; b++) if (random() < ber) mask |= 1 << b;
    out[i] = (out[i]! ^ mask) >>> 0;
  }
  return out;
}

/** `count` uniform random raw items. */
export function randomItems(random: () => number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = word(random);
  return out;
}

/** Asserts that `run` throws a `ScanError` with code `SNAPSHOT_INVALID`. */
export function expectInvalidSection(run: () => unknown): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ScanError);
  expect((caught as ScanError).code).toBe('SNAPSHOT_INVALID');
}

/** Calls `run`; returns the value, or undefined when it threw a `ScanError('SNAPSHOT_INVALID')` (anything else fails). */
export function openOrInvalid<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScanError);
    expect((error as ScanError).code).toBe('SNAPSHOT_INVALID');
    return undefined;
  }
}

/** Byte equality without vitest's element-by-element diff, which takes minutes on megabyte arrays. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
