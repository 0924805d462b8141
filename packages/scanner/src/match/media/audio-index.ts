/**
 * An index of registered Chromaprint fingerprints that finds which of them a query (a whole track, or an excerpt of
 * one inside a longer recording) matches, without comparing the query with every one. It is the first stage of
 * matching.md §4: an inverted index from the top bits of each raw item to where that item occurs, (entry, position)
 * postings in CSR form. A query votes for (entry, offset = reference position − query position) through every
 * posting of each of its items' keys; the entries whose best offset (counting ±`offsetTolerance` neighbours) gets the
 * most votes are confirmed, at most `maxCandidates` of them, by `compareChromaprint` against the stored items: only
 * confirmed matches are returned. The items are stored in the section, so `fromBytes` alone can confirm.
 *
 * Keys are the top **16** bits of an item by default, not `compareChromaprint`'s 14 (`alignBits`). The key only
 * decides which pairs of items vote; what counts as a match is still `compareChromaprint`'s rule. At 14 bits every
 * key holds 1/16,384 of all postings, so at 10,000 registered tracks (≈9.5 M items) each query item walks ≈580 of
 * them; 16 bits walks ≈145, 4× less work, while an item with 10 % of its bits flipped still keeps its key 18.5 % of
 * the time (0.9^16), ≈22 votes at the true offset from a 120-item (15 s) excerpt against a threshold of 2. The
 * price is weaker recall of degraded audio near the BER 0.3 limit (0.7^16 ≈ 0.3 % of items vote): build with
 * `keyBits: 14` for that. AcoustID's own index uses 28 bits (matching.md §4) on the assumption of near-exact items.
 *
 * Keys held by more than `maxPostingsPerKey` items (default the larger of 256 and 16 × the mean per key) are
 * stop-listed, as are items equal to Chromaprint's silence value 627964279 (AcoustID skips it): they carry little
 * alignment information and would dominate the cost of a query.
 *
 * Byte layout of a section, all integers little-endian u32, every part starting 8-byte aligned:
 *
 * | at | bytes | what |
 * |---|---|---|
 * | 0 | 4 | magic `HAUD` |
 * | 4 | 4 | version, 1 |
 * | 8 | 4 | n, entries (≤ 2^24) |
 * | 12 | 4 | m, items in all (≤ 2^28) |
 * | 16 | 4 | key bits k (8–24) |
 * | 20 | 4 | p, postings |
 * | 24 | 4 | maxPostingsPerKey used at build |
 * | 28 | 4 | keys stop-listed |
 * | 32 | 4 | total length of the section in bytes |
 * | 36 | 12 | reserved, zero |
 * | 48 | 4·(n+1) | entry starts: entry e's items are items[starts[e] … starts[e+1]), each ≤ 2^20 items |
 * | then | 4·m | items, the raw TEST2 fingerprints one after another |
 * | then | 4·(2^k+1) | key offsets: key v's postings are postings[off[v] … off[v+1]) |
 * | then | 4·p | postings: global item numbers, ascending within a key, each item's top k bits = its key |
 * | | to 8 | zero padding |
 *
 * `fromBytes` checks all of it, so no query can read outside the section.
 */
import {
  CHROMAPRINT_CODEC_LIMITS,
  CHROMAPRINT_ITEM_SECONDS,
  compareChromaprint,
  type ChromaprintCompareOptions,
} from '@heoga/core';
import {
  LITTLE_ENDIAN,
  align8,
  invalidSection,
  isList,
  magicOf,
  openSection,
  toLittleEndian,
  u32Part,
  writeHeader,
} from './section-bytes.js';

const MAGIC = magicOf('HAUD');
const VERSION = 1;
const HEADER_WORDS = 12;
const HEADER_BYTES = HEADER_WORDS * 4;
const WHAT = 'audio index';
/** Chromaprint's item for digital silence; AcoustID's `acoustid_extract_query` skips it. */
const SILENCE_ITEM = 627964279;
const MAX_ENTRY_ITEMS = CHROMAPRINT_CODEC_LIMITS.maxItems;
// Vote keys are entry × 2^22 + (offset + query length): offsets lie in (−2^20, 2^20), so the second part is < 2^21.
const VOTE_SPAN = 2 ** 22;

/** Most entries (16,777,216) and items in all (268,435,456, ≈ 1 year of audio) one audio index holds. */
export const AUDIO_INDEX_LIMITS = Object.freeze({ maxEntries: 1 << 24, maxItems: 1 << 28 });

/** Default key width of {@link AudioIndex.build}; see the module comment for why 16 and not 14. */
export const AUDIO_INDEX_KEY_BITS = 16;

/** Options of {@link AudioIndex.build}. */
export interface AudioIndexBuildOptions {
  /** Top bits of an item used as its key, 8 to 24 (default 16). */
  readonly keyBits?: number;
  /** Keys with more postings than this are stop-listed (default max(256, 16 × the mean postings per key)). */
  readonly maxPostingsPerKey?: number;
}

/** Counters a search adds to when given. */
export interface AudioSearchStats {
  /** Postings walked while voting. */
  postings: number;
  /** Entries confirmed with `compareChromaprint`. */
  confirmed: number;
}

/** Options of {@link AudioIndex.search}. */
export interface AudioSearchOptions {
  /** Most entries confirmed by `compareChromaprint`, the best-voted first (default 8). */
  readonly maxCandidates?: number;
  /** Fewest votes (with neighbours) at an entry's best offset for it to be confirmed (default 2). */
  readonly minVotes?: number;
  /** Offsets this many items either side count toward an offset's votes (default 1). */
  readonly offsetTolerance?: number;
  /** Passed to `compareChromaprint`, which decides each match. */
  readonly compare?: ChromaprintCompareOptions;
  readonly stats?: AudioSearchStats;
}

/** One confirmed match of {@link AudioIndex.search}. */
export interface AudioMatch {
  readonly entry: number;
  /** `compareChromaprint`'s score (AcoustID's, 0–1) and bit error rate over the overlap. */
  readonly score: number;
  readonly ber: number;
  /** Where the query starts in the registered track, in seconds (negative when it starts before it). */
  readonly offsetSeconds: number;
  /** How long query and registered track overlap at that offset, in seconds. */
  readonly overlapSeconds: number;
  /** Votes the index counted at the entry's best offset. */
  readonly votes: number;
}

interface Layout {
  readonly itemsAt: number;
  readonly keyOffsetsAt: number;
  readonly postingsAt: number;
  readonly total: number;
}

function layoutOf(n: number, items: number, keyBits: number, postings: number): Layout {
  const itemsAt = align8(HEADER_BYTES + 4 * (n + 1));
  const keyOffsetsAt = align8(itemsAt + 4 * items);
  const postingsAt = align8(keyOffsetsAt + 4 * (2 ** keyBits + 1));
  return { itemsAt, keyOffsetsAt, postingsAt, total: align8(postingsAt + 4 * postings) };
}

function option(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/**
 * An inverted index over registered raw Chromaprint fingerprints (see the module comment for the method and byte
 * layout). Entries are numbered by their position at build. `search` returns only matches `compareChromaprint`
 * confirms, best score first. Worker threads each open their own instance with `fromBytes` over the shared bytes.
 *
 * @example
 * ```ts
 * const index = AudioIndex.build(tracks.map((t) => decompressChromaprint(t.value).items));
 * const loaded = AudioIndex.fromBytes(index.toBytes());
 * for (const m of loaded.search(queryItems)) console.log(workOf[m.entry], m.offsetSeconds, m.ber);
 * ```
 */
export class AudioIndex {
  /** Number of entries. */
  readonly size: number;
  /** Items stored, all entries together. */
  readonly itemCount: number;
  /** Top bits of an item used as its key. */
  readonly keyBits: number;
  /** Keys left out of the index because too many items share them. */
  readonly stoppedKeys: number;
  readonly #bytes: Uint8Array;
  readonly #starts: Uint32Array;
  readonly #items: Uint32Array;
  readonly #keyOffsets: Uint32Array;
  readonly #postings: Uint32Array;
  #votes = new Float64Array(1024);

  private constructor(bytes: Uint8Array, header: readonly number[]) {
    const [, , n, items, keyBits, postings, , stopped] = header as number[];
    this.size = n!;
    this.itemCount = items!;
    this.keyBits = keyBits!;
    this.stoppedKeys = stopped!;
    const layout = layoutOf(n!, items!, keyBits!, postings!);
    this.#bytes = bytes;
    this.#starts = u32Part(bytes, HEADER_BYTES, n! + 1);
    this.#items = u32Part(bytes, layout.itemsAt, items!);
    this.#keyOffsets = u32Part(bytes, layout.keyOffsetsAt, 2 ** keyBits! + 1);
    this.#postings = u32Part(bytes, layout.postingsAt, postings!);
  }

  /**
   * Builds an index over raw TEST2 fingerprints, one `Uint32Array` per entry (as `decompressChromaprint` gives), each
   * at most 2^20 items.
   *
   * @throws ScanError `SNAPSHOT_INVALID` when an entry is not a Uint32Array or too long, or the totals exceed
   *   {@link AUDIO_INDEX_LIMITS}.
   * @example
   * ```ts
   * const index = AudioIndex.build([trackA.raw, trackB.raw], { keyBits: 14 });
   * ```
   */
  static build(entries: readonly Uint32Array[], options: AudioIndexBuildOptions = {}): AudioIndex {
    if (!isList(entries)) throw invalidSection(WHAT, 'entries must be an array of Uint32Array');
    const n = entries.length;
    if (n > AUDIO_INDEX_LIMITS.maxEntries) throw invalidSection(WHAT, `${n} entries is over the limit`);
    let m = 0;
    entries.forEach((items, e) => {
      if (!(items instanceof Uint32Array)) throw invalidSection(WHAT, `entry ${e} is not a Uint32Array`);
      if (items.length > MAX_ENTRY_ITEMS) throw invalidSection(WHAT, `entry ${e} has over ${MAX_ENTRY_ITEMS} items`);
      m += items.length;
    });
    if (m > AUDIO_INDEX_LIMITS.maxItems) throw invalidSection(WHAT, `${m} items is over the limit`);
    const keyBits = option(options.keyBits, AUDIO_INDEX_KEY_BITS, 8, 24);
    const keys = 2 ** keyBits;
    const shift = 32 - keyBits;

    const all = new Uint32Array(m);
    const starts = new Uint32Array(n + 1);
    entries.forEach((items, e) => {
      all.set(items, starts[e]);
      starts[e + 1] = starts[e]! + items.length;
    });
    const counts = new Uint32Array(keys + 1);
    let indexable = 0;
    for (let i = 0; i < m; i++) {
      if (all[i] === SILENCE_ITEM) continue;
      counts[(all[i]! >>> shift) + 1]!++;
      indexable++;
    }
    const cap = option(options.maxPostingsPerKey, Math.max(256, 16 * Math.ceil(indexable / keys)), 1, 0xffffffff);
    let stopped = 0;
    for (let v = 1; v <= keys; v++) {
      if (counts[v]! > cap) {
        counts[v] = 0;
        stopped++;
      }
    }
    for (let v = 0; v < keys; v++) counts[v + 1]! += counts[v]!;
    const postingCount = counts[keys]!;

    const layout = layoutOf(n, m, keyBits, postingCount);
    const bytes = new Uint8Array(layout.total);
    writeHeader(bytes, [MAGIC, VERSION, n, m, keyBits, postingCount, cap, stopped, layout.total, 0, 0, 0]);
    const startsPart = new Uint32Array(bytes.buffer, HEADER_BYTES, n + 1);
    startsPart.set(starts);
    const itemsPart = new Uint32Array(bytes.buffer, layout.itemsAt, m);
    itemsPart.set(all);
    const keyOffsets = new Uint32Array(bytes.buffer, layout.keyOffsetsAt, keys + 1);
    keyOffsets.set(counts);
    const postings = new Uint32Array(bytes.buffer, layout.postingsAt, postingCount);
    const cursor = counts.subarray(0, keys).slice();
    for (let i = 0; i < m; i++) {
      const item = all[i]!;
      if (item === SILENCE_ITEM) continue;
      const key = item >>> shift;
      if (cursor[key]! < keyOffsets[key + 1]!) postings[cursor[key]!++] = i;
    }
    const header = [MAGIC, VERSION, n, m, keyBits, postingCount, cap, stopped, layout.total, 0, 0, 0];
    if (!LITTLE_ENDIAN) {
      for (const part of [startsPart, itemsPart, keyOffsets, postings]) toLittleEndian(part);
      return AudioIndex.fromBytes(bytes);
    }
    return new AudioIndex(bytes, header);
  }

  /**
   * Opens a section written by {@link toBytes} in place (no copy on little-endian machines when 4-byte aligned),
   * after checking every count, offset and posting (linear in the section's size).
   *
   * @throws ScanError `SNAPSHOT_INVALID` for anything but a well-formed section of this version.
   * @example
   * ```ts
   * const audio = AudioIndex.fromBytes(new Uint8Array(snapshot, section.offset, section.length));
   * ```
   */
  static fromBytes(bytes: Uint8Array): AudioIndex {
    const opened = openSection(WHAT, bytes, HEADER_WORDS);
    const h = opened.header;
    const [magic, version, n, m, keyBits, postingCount, cap, stopped, total] = h as number[];
    if (magic !== MAGIC) throw invalidSection(WHAT, 'bad magic');
    if (version !== VERSION) throw invalidSection(WHAT, `version ${version} is not ${VERSION}`);
    if (h[9] !== 0 || h[10] !== 0 || h[11] !== 0) throw invalidSection(WHAT, 'reserved header fields are not zero');
    if (n! > AUDIO_INDEX_LIMITS.maxEntries || m! > AUDIO_INDEX_LIMITS.maxItems)
      throw invalidSection(WHAT, `${n} entries of ${m} items is over the limits`);
    if (keyBits! < 8 || keyBits! > 24) throw invalidSection(WHAT, `key bits ${keyBits} is not 8 to 24`);
    if (postingCount! > m!) throw invalidSection(WHAT, `${postingCount} postings for ${m} items`);
    if (stopped! > 2 ** keyBits! || cap === 0) throw invalidSection(WHAT, 'stop-list fields out of range');
    const layout = layoutOf(n!, m!, keyBits!, postingCount!);
    if (total !== layout.total || opened.bytes.length !== layout.total)
      throw invalidSection(
        WHAT,
        `${opened.bytes.length} bytes (header says ${total}) where the counts need ${layout.total}`,
      );
    const index = new AudioIndex(opened.bytes, h);
    index.#validate(cap!);
    return index;
  }

  #validate(cap: number): void {
    const starts = this.#starts;
    if (starts[0] !== 0 || starts[this.size] !== this.itemCount)
      throw invalidSection(WHAT, `entry starts do not run from 0 to ${this.itemCount}`);
    for (let e = 0; e < this.size; e++) {
      const length = starts[e + 1]! - starts[e]!;
      if (length < 0 || length > MAX_ENTRY_ITEMS) throw invalidSection(WHAT, `entry ${e} has a bad length`);
    }
    const keys = 2 ** this.keyBits;
    const shift = 32 - this.keyBits;
    const offsets = this.#keyOffsets;
    const postings = this.#postings;
    const items = this.#items;
    if (offsets[0] !== 0 || offsets[keys] !== postings.length)
      throw invalidSection(WHAT, `key offsets do not run from 0 to ${postings.length}`);
    for (let v = 0; v < keys; v++) {
      const from = offsets[v]!;
      const to = offsets[v + 1]!;
      if (to < from || to - from > cap) throw invalidSection(WHAT, `key ${v}: offsets out of order or over the cap`);
      let previous = -1;
      for (let j = from; j < to; j++) {
        const p = postings[j]!;
        if (p >= this.itemCount || p <= previous || items[p]! >>> shift !== v || items[p] === SILENCE_ITEM)
          throw invalidSection(WHAT, `key ${v}: posting ${p} does not belong there`);
        previous = p;
      }
    }
  }

  /**
   * The section's bytes, as {@link fromBytes} reads them back (a copy).
   *
   * @example
   * ```ts
   * sections.push({ kind: 'audio', bytes: index.toBytes() });
   * ```
   */
  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /**
   * Entry `entry`'s raw items (a view into the index: do not modify it), or undefined when there is no such entry.
   *
   * @example
   * ```ts
   * compareChromaprint(query, index.reference(m.entry)!);
   * ```
   */
  reference(entry: number): Uint32Array | undefined {
    if (!Number.isInteger(entry) || entry < 0 || entry >= this.size) return undefined;
    return this.#items.subarray(this.#starts[entry], this.#starts[entry + 1]);
  }

  /**
   * The registered tracks `query` (raw TEST2 items) matches, as `compareChromaprint` confirms them, best score
   * first (then entry). Cost: the postings of the query's keys (about query items × registered items / 2^keyBits),
   * plus at most `maxCandidates` comparisons. Items past the first 2^20 of a query do not vote, but are compared.
   * Anything that is not a non-empty Uint32Array finds nothing; this never throws.
   *
   * @example
   * ```ts
   * const [best] = index.search(decompressChromaprint(record.value).items);
   * if (best) console.log(`work ${workOf[best.entry]} from ${best.offsetSeconds.toFixed(1)} s`);
   * ```
   */
  search(query: Uint32Array, options: AudioSearchOptions = {}): AudioMatch[] {
    if (!(query instanceof Uint32Array) || query.length === 0 || this.size === 0) return [];
    const maxCandidates = option(options.maxCandidates, 8, 0, 1 << 20);
    const minVotes = option(options.minVotes, 2, 1, 0xffffffff);
    const tolerance = option(options.offsetTolerance, 1, 0, 64);
    const votes = this.#collectVotes(query, options.stats);
    const candidates = bestOffsets(votes.keys, votes.count, tolerance)
      .filter((c) => c.votes >= minVotes)
      .sort((a, b) => b.votes - a.votes || a.entry - b.entry)
      .slice(0, maxCandidates);
    const matches: AudioMatch[] = [];
    for (const { entry, votes: count } of candidates) {
      const result = compareChromaprint(query, this.reference(entry)!, options.compare);
      if (options.stats) options.stats.confirmed++;
      if (!result.matched) continue;
      matches.push({
        entry,
        score: result.score,
        ber: result.ber,
        offsetSeconds: result.offset.seconds,
        overlapSeconds: result.overlapItems * CHROMAPRINT_ITEM_SECONDS,
        votes: count,
      });
    }
    return matches.sort((a, b) => b.score - a.score || a.entry - b.entry);
  }

  /** Every (entry, offset) vote of the query's items, as sorted vote keys. */
  #collectVotes(query: Uint32Array, stats?: AudioSearchStats): { keys: Float64Array; count: number } {
    const shift = 32 - this.keyBits;
    const starts = this.#starts;
    const offsets = this.#keyOffsets;
    const postings = this.#postings;
    const length = Math.min(query.length, MAX_ENTRY_ITEMS);
    let votes = this.#votes;
    let count = 0;
    let walked = 0;
    for (let q = 0; q < length; q++) {
      const item = query[q]!;
      if (item === SILENCE_ITEM) continue;
      const key = item >>> shift;
      const from = offsets[key]!;
      const to = offsets[key + 1]!;
      walked += to - from;
      if (count + (to - from) > votes.length) {
        const grown = new Float64Array(Math.max(votes.length * 2, count + (to - from)));
        grown.set(votes.subarray(0, count));
        votes = grown;
      }
      for (let j = from; j < to; j++) {
        const p = postings[j]!;
        const entry = entryOf(starts, this.size, p);
        votes[count++] = entry * VOTE_SPAN + (p - starts[entry]! - q + length);
      }
    }
    // Keep a moderately sized scratch buffer between queries, not the largest ever seen.
    if (votes.length <= 1 << 20) this.#votes = votes;
    if (stats) stats.postings += walked;
    const keys = votes.subarray(0, count).sort();
    return { keys, count };
  }
}

/** The entry holding global item `p`: the last e with starts[e] ≤ p (binary search; empty entries are skipped). */
function entryOf(starts: Uint32Array, n: number, p: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Per entry, the offset with the most votes counting ±tolerance neighbours, from sorted vote keys. */
function bestOffsets(keys: Float64Array, count: number, tolerance: number): { entry: number; votes: number }[] {
  // Runs of equal keys: (key, votes).
  const runKeys: number[] = [];
  const runVotes: number[] = [];
  for (let i = 0; i < count;) {
    const key = keys[i]!;
    let j = i + 1;
    while (j < count && keys[j] === key) j++;
    runKeys.push(key);
    runVotes.push(j - i);
    i = j;
  }
  const best = new Map<number, number>();
  // Sliding window over the sorted runs: within one entry, keys differ by the offset difference.
  let lo = 0;
  let hi = 0;
  let sum = 0;
  for (let i = 0; i < runKeys.length; i++) {
    const key = runKeys[i]!;
    const entry = Math.floor(key / VOTE_SPAN);
    while (hi < runKeys.length && runKeys[hi]! <= key + tolerance && Math.floor(runKeys[hi]! / VOTE_SPAN) === entry)
      sum += runVotes[hi++]!;
    while (runKeys[lo]! < key - tolerance || Math.floor(runKeys[lo]! / VOTE_SPAN) !== entry) sum -= runVotes[lo++]!;
    if (sum > (best.get(entry) ?? 0)) best.set(entry, sum);
  }
  return [...best].map(([entry, votes]) => ({ entry, votes }));
}
