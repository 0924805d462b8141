/**
 * Comparison of two raw Chromaprint fingerprints, after AcoustID's `acoustid_compare2` (acoustid/pg_acoustid
 * `acoustid_compare.c`) with two changes for heoga's main case, an excerpt of a registered track inside a longer
 * recording (or the other way round):
 *
 * - Alignment votes over every pair of items whose top 14 bits agree (AcoustID's `MATCH_BITS`), not only the last
 *   item of each key, and with no ±80 offset limit, so an excerpt is found anywhere in the reference. Keys that occur
 *   more than `maxPositionsPerKey` times in the reference (silence, drones) carry no alignment information and are
 *   skipped, which also bounds the work at `query.length × maxPositionsPerKey`.
 * - The few best-voted offsets are each checked by their bit error rate (BER) over the overlap, and the best kept.
 *
 * The score is AcoustID's: (overlap / shorter length) × (1 − 2·BER), raised to the power 8 − 7·diversity when the
 * fingerprints are repetitive. `matched` uses the BER, which an excerpt does not dilute: the overlap must hold at
 * least `minOverlapItems` items (20, about 2.5 s) and its BER must be at most `maxBer` (0.3, just under Chromaprint's
 * `FingerprintMatcher` threshold of 10 bit errors in 32, `kDefaultMatchThreshold`). Unrelated audio has a BER near
 * 0.5; the same recording re-encoded stays far below 0.3.
 */
import { CHROMAPRINT_ITEM_SECONDS } from './chromaprint-codec.js';

/** Tuning of `compareChromaprint`; the defaults are documented at the top of this module. */
export interface ChromaprintCompareOptions {
  /** How many top bits of two items must agree for them to vote for an alignment (default 14, as AcoustID). */
  readonly alignBits?: number;
  /** Reference items sharing one key beyond which that key is ignored for voting (default 64). */
  readonly maxPositionsPerKey?: number;
  /** How many of the best-voted offsets are checked by bit error rate (default 8). */
  readonly candidates?: number;
  /** Largest |offset| in items considered; default unlimited. */
  readonly maxOffsetItems?: number;
  /** Fewest overlapping items for a match (default 20, about 2.5 s). */
  readonly minOverlapItems?: number;
  /** Largest bit error rate over the overlap for a match (default 0.3). */
  readonly maxBer?: number;
}

/** The best alignment found between a query and a reference fingerprint, and whether it is a match. */
export interface ChromaprintComparison {
  /**
   * Where the query starts in the reference: reference item `i + items` lines up with query item `i`. Negative when
   * the query starts before the reference. `seconds` is `items × 1365 / 11025`.
   */
  readonly offset: { readonly items: number; readonly seconds: number };
  /** How many items overlap at that offset. */
  readonly overlapItems: number;
  /** Fraction of differing bits over the overlap, 0 (identical) to 1; about 0.5 for unrelated audio. */
  readonly ber: number;
  /** AcoustID's `acoustid_compare2` score, 0 to 1; AcoustID merges tracks at 0.7. */
  readonly score: number;
  readonly matched: boolean;
}

const DEFAULTS = {
  alignBits: 14,
  maxPositionsPerKey: 64,
  candidates: 8,
  maxOffsetItems: Number.POSITIVE_INFINITY,
  minOverlapItems: 20,
  maxBer: 0.3,
} as const;

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** AcoustID's diversity: distinct 14-bit keys over length, plus a grace of 10 items and 0.5, capped at 1. */
function diversity(items: Uint32Array, start: number, end: number, shift: number): number {
  const seen = new Set<number>();
  for (let i = start; i < end; i++) seen.add(items[i]! >>> shift);
  return Math.min(1, (seen.size + 10) / (end - start) + 0.5);
}

function evaluateOffset(
  query: Uint32Array,
  reference: Uint32Array,
  offset: number,
  shift: number,
  settings: Required<ChromaprintCompareOptions>,
): ChromaprintComparison {
  const start = Math.max(0, -offset);
  const end = Math.min(query.length, reference.length - offset);
  const overlapItems = Math.max(0, end - start);
  let errors = 0;
  for (let i = start; i < end; i++) errors += popcount32((query[i]! ^ reference[i + offset]!) >>> 0);
  const ber = overlapItems > 0 ? errors / (32 * overlapItems) : 1;
  let score = 0;
  const shorter = Math.min(query.length, reference.length);
  if (overlapItems > 0) {
    score = Math.max(0, (overlapItems / shorter) * (1 - 2 * ber));
    const spread = Math.min(
      diversity(query, start, end, shift),
      diversity(reference, start + offset, end + offset, shift),
    );
    if (spread < 1) score = Math.pow(score, 8 - 7 * spread);
  }
  return {
    offset: { items: offset, seconds: offset * CHROMAPRINT_ITEM_SECONDS },
    overlapItems,
    ber,
    score,
    matched: overlapItems >= settings.minOverlapItems && ber <= settings.maxBer,
  };
}

/**
 * Compares a query fingerprint with a reference one and returns the best alignment: its offset, the overlap, the
 * bit error rate there, AcoustID's score and whether it counts as a match (see the module comment for the rule).
 * Both are raw TEST2 items, as `decompressChromaprint` or Chromaprint return them. Runs in time linear in the sizes
 * (times `maxPositionsPerKey` at worst); never throws for any input arrays.
 *
 * @example
 * ```ts
 * const result = compareChromaprint(excerpt.raw, registered.raw);
 * if (result.matched) console.log(`found at ${result.offset.seconds.toFixed(1)} s, BER ${result.ber.toFixed(2)}`);
 * ```
 */
export function compareChromaprint(
  query: Uint32Array,
  reference: Uint32Array,
  options: ChromaprintCompareOptions = {},
): ChromaprintComparison {
  const settings: Required<ChromaprintCompareOptions> = { ...DEFAULTS, ...options };
  const alignBits = Math.min(32, Math.max(1, Math.floor(settings.alignBits)));
  const shift = 32 - alignBits;

  // Positions of each key in the reference, as linked lists in two arrays (no per-key allocation).
  const keyCount = new Map<number, number>();
  for (let i = 0; i < reference.length; i++) {
    const key = reference[i]! >>> shift;
    keyCount.set(key, (keyCount.get(key) ?? 0) + 1);
  }
  const head = new Map<number, number>();
  const next = new Int32Array(reference.length).fill(-1);
  for (let i = reference.length - 1; i >= 0; i--) {
    const key = reference[i]! >>> shift;
    if (keyCount.get(key)! > settings.maxPositionsPerKey) continue;
    const first = head.get(key);
    next[i] = first ?? -1;
    head.set(key, i);
  }

  // Offset histogram: offset = reference position − query position, stored shifted by query.length − 1.
  const bias = query.length - 1;
  const votes = new Int32Array(Math.max(0, query.length + reference.length - 1));
  for (let q = 0; q < query.length; q++) {
    for (let r = head.get(query[q]! >>> shift) ?? -1; r >= 0; r = next[r]!) {
      const offset = r - q;
      if (Math.abs(offset) <= settings.maxOffsetItems) votes[offset + bias]!++;
    }
  }

  // The best-voted offsets (at least 2 votes each), best first.
  const wanted = Math.max(1, Math.floor(settings.candidates));
  const best: number[] = [];
  for (let i = 0; i < votes.length; i++) {
    if (votes[i]! < 2) continue;
    if (best.length === wanted && votes[i]! <= votes[best[wanted - 1]!]!) continue;
    let at = best.length === wanted ? wanted - 1 : best.length;
    while (at > 0 && votes[best[at - 1]!]! < votes[i]!) {
      if (at < wanted) best[at] = best[at - 1]!;
      at--;
    }
    best[at] = i;
  }

  let chosen: ChromaprintComparison | undefined;
  for (const index of best.length > 0 ? best : [bias]) {
    const candidate = evaluateOffset(query, reference, index - bias, shift, settings);
    if (
      chosen === undefined ||
      candidate.score > chosen.score ||
      (candidate.score === chosen.score && candidate.ber < chosen.ber)
    )
      chosen = candidate;
  }
  return chosen ?? evaluateOffset(query, reference, 0, shift, settings);
}
