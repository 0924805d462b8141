/**
 * An index of registered PDQ hashes that answers "which hashes are within Hamming distance d of this one" without
 * comparing against all of them: multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with
 * Multi-Index Hashing", CVPR 2012), with ThreatExchange's choice of 16 slots of 16 bits (`pdq/README-MIH.md`,
 * matching.md §2.5). If two 256-bit hashes differ in at most d bits, by pigeonhole one of the 16 slots differs in at
 * most ⌊d/16⌋ bits: for d ≤ 15 the query probes each slot's exact value, for d ≤ 31 (PDQ's match threshold) also the
 * 16 values one bit away, 17 buckets per slot, 272 in all. Every candidate found is then checked by its full distance,
 * so results are exactly the brute-force ones. Beyond 31 (s = 2 would probe 137 buckets per slot, where MIH loses to a
 * linear scan: matching.md §2.5) `search` falls back to the linear scan.
 *
 * Byte layout of a section (`toBytes`, `fromBytes`), all integers little-endian u32, every part 8-byte aligned:
 *
 * | at | bytes | what |
 * |---|---|---|
 * | 0 | 4 | magic `HPDQ` (48 50 44 51) |
 * | 4 | 4 | version, 1 |
 * | 8 | 4 | n, the number of entries (≤ 2^25) |
 * | 12 | 4 | slots, 16 |
 * | 16 | 4 | bits per slot, 16 |
 * | 20 | 4 | total length of the section in bytes |
 * | 24 | 8 | reserved, zero |
 * | 32 | 32·n | hashes: entry i's 32 bytes at 32 + 32·i, as `PdqHash` (big-endian bit order) |
 * | H = 32 + 32·n | n, padded to 8 | qualities, one byte (0–100) per entry |
 * | O = H + align8(n) | 16 · 65,537 · 4 | per slot s, CSR offsets: bucket v's entries are ids[s·n + off[s][v] … s·n + off[s][v+1]) |
 * | O + 4,194,368 | 16 · n · 4 | ids: per slot, every entry once, grouped by bucket, ascending within a bucket |
 *
 * Slot s of a hash is the 16-bit big-endian value of its bytes 2s and 2s+1. `fromBytes` checks all of it: header,
 * length, monotone offsets ending at n, every id < n, every id in the bucket of its own hash's slot value, ascending
 * within a bucket (so each entry is in each slot exactly once), qualities ≤ 100. A section that passes answers every
 * query exactly as the brute-force scan over its hashes does; one that does not is `SNAPSHOT_INVALID`.
 */
import { PDQ_HASH_BYTES, PDQ_MATCH_THRESHOLD, PDQ_MIN_QUALITY } from '@heoga/core';
import {
  LITTLE_ENDIAN,
  align8,
  invalidSection,
  isList,
  magicOf,
  nativeI32Part,
  openSection,
  popcount32,
  toLittleEndian,
  u32Part,
  writeHeader,
} from './section-bytes.js';

const MAGIC = magicOf('HPDQ');
const VERSION = 1;
const SLOTS = 16;
const SLOT_BITS = 16;
const BUCKETS = 1 << SLOT_BITS;
const OFFSETS_PER_SLOT = BUCKETS + 1;
const HEADER_WORDS = 8;
const HEADER_BYTES = HEADER_WORDS * 4;
const WORDS = PDQ_HASH_BYTES / 4;
const WHAT = 'PDQ index';

/**
 * Most entries one index holds (33,554,432), which keeps a section under 4 GiB (about 104 bytes per entry plus 4 MiB
 * of bucket offsets).
 */
export const PDQ_INDEX_MAX_ENTRIES = 1 << 25;

/** One hit of {@link PdqIndex.search}: the entry number (its position at build) and its Hamming distance. */
export interface PdqMatch {
  readonly entry: number;
  readonly distance: number;
}

/** One hit of {@link PdqIndex.searchVariants}: the closest of the query's variants, by its position in the list. */
export interface PdqVariantMatch extends PdqMatch {
  readonly variant: number;
}

/** Counters a search adds to when given (for benchmarks and tuning). */
export interface PdqSearchStats {
  /** Distinct entries whose full distance was computed. */
  candidates: number;
}

/** Options of {@link PdqIndex.search} and its variants. */
export interface PdqSearchOptions {
  /** Entries of lower quality are never returned (default `PDQ_MIN_QUALITY`, 50; 0 returns every entry). */
  readonly minQuality?: number;
  /** When given, the search adds what it did to these counters. */
  readonly stats?: PdqSearchStats;
}

interface Layout {
  readonly qualitiesAt: number;
  readonly offsetsAt: number;
  readonly idsAt: number;
  readonly total: number;
}

function layoutOf(n: number): Layout {
  const qualitiesAt = HEADER_BYTES + PDQ_HASH_BYTES * n;
  const offsetsAt = qualitiesAt + align8(n);
  const idsAt = offsetsAt + SLOTS * OFFSETS_PER_SLOT * 4;
  return { qualitiesAt, offsetsAt, idsAt, total: idsAt + SLOTS * n * 4 };
}

/** Searches are clamped to whole distances 0–256; anything else (NaN, negative) finds nothing. */
function normaliseDistance(maxDistance: unknown): number {
  if (typeof maxDistance !== 'number' || Number.isNaN(maxDistance) || maxDistance < 0) return -1;
  return Math.min(PDQ_HASH_BYTES * 8, Math.floor(maxDistance));
}

function normaliseQuality(minQuality: unknown): number {
  return typeof minQuality === 'number' && !Number.isNaN(minQuality) ? minQuality : PDQ_MIN_QUALITY;
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === PDQ_HASH_BYTES;
}

function byDistanceThenEntry(a: PdqMatch, b: PdqMatch): number {
  return a.distance - b.distance || a.entry - b.entry;
}

/**
 * A multi-index-hashing index over registered PDQ hashes (see the module comment for the method and byte layout).
 * Entries are numbered by their position at build; the caller maps them to works. Exact: `search` returns what
 * `searchBruteForce` does, each entry once, sorted by distance then entry, leaving out entries under quality 50
 * unless `minQuality` says otherwise. One instance is not for concurrent use from one thread's re-entrant code (it
 * keeps a scratch array); worker threads each open their own with `fromBytes` over the shared snapshot bytes.
 *
 * @example
 * ```ts
 * const index = PdqIndex.build(hashes, qualities); // hashes: n × 32 bytes
 * const section = index.toBytes();
 * const loaded = PdqIndex.fromBytes(section);
 * for (const { entry, distance } of loaded.search(query.hash)) console.log(workOf[entry], distance);
 * ```
 */
export class PdqIndex {
  /** Number of entries. */
  readonly size: number;
  readonly #bytes: Uint8Array;
  readonly #hashBytes: Uint8Array;
  readonly #hashWords: Int32Array;
  readonly #qualities: Uint8Array;
  readonly #offsets: Uint32Array;
  readonly #ids: Uint32Array;
  // Generation-stamped "seen" marks, one per entry, allocated on first search.
  #seen: Uint32Array | undefined;
  #generation = 0;
  readonly #query = new Uint8Array(PDQ_HASH_BYTES);
  readonly #queryWords = new Int32Array(this.#query.buffer);
  readonly #probes = new Int32Array(SLOT_BITS + 1);

  private constructor(bytes: Uint8Array, n: number) {
    const layout = layoutOf(n);
    this.size = n;
    this.#bytes = bytes;
    this.#hashBytes = bytes.subarray(HEADER_BYTES, layout.qualitiesAt);
    this.#hashWords = nativeI32Part(bytes, HEADER_BYTES, n * WORDS);
    this.#qualities = bytes.subarray(layout.qualitiesAt, layout.qualitiesAt + n);
    this.#offsets = u32Part(bytes, layout.offsetsAt, SLOTS * OFFSETS_PER_SLOT);
    this.#ids = u32Part(bytes, layout.idsAt, SLOTS * n);
  }

  /**
   * Builds an index over `hashes`, n × 32 bytes (entry i is bytes 32i to 32i + 31), with one quality (0–100) per
   * entry; without `qualities` every entry counts as quality 100. Takes about a second per million entries.
   *
   * @throws ScanError `SNAPSHOT_INVALID` when the lengths do not fit, a quality is over 100, or n is over
   *   {@link PDQ_INDEX_MAX_ENTRIES} (the section it would make could not be read back).
   * @example
   * ```ts
   * const index = PdqIndex.build(Uint8Array.from(works.flatMap((w) => [...w.pdq.hash])));
   * ```
   */
  static build(hashes: Uint8Array, qualities?: Uint8Array): PdqIndex {
    if (!(hashes instanceof Uint8Array) || hashes.length % PDQ_HASH_BYTES !== 0)
      throw invalidSection(WHAT, 'hashes must be a Uint8Array of n × 32 bytes');
    const n = hashes.length / PDQ_HASH_BYTES;
    if (n > PDQ_INDEX_MAX_ENTRIES) throw invalidSection(WHAT, `${n} entries is over ${PDQ_INDEX_MAX_ENTRIES}`);
    if (qualities !== undefined && (!(qualities instanceof Uint8Array) || qualities.length !== n))
      throw invalidSection(WHAT, `qualities must be a Uint8Array of ${n} bytes`);
    const layout = layoutOf(n);
    const bytes = new Uint8Array(layout.total);
    writeHeader(bytes, [MAGIC, VERSION, n, SLOTS, SLOT_BITS, layout.total, 0, 0]);
    bytes.set(hashes, HEADER_BYTES);
    if (qualities === undefined) bytes.fill(100, layout.qualitiesAt, layout.qualitiesAt + n);
    else {
      for (let i = 0; i < n; i++)
        if (qualities[i]! > 100) throw invalidSection(WHAT, `quality ${qualities[i]} of entry ${i} is over 100`);
      bytes.set(qualities, layout.qualitiesAt);
    }
    const offsets = new Uint32Array(bytes.buffer, layout.offsetsAt, SLOTS * OFFSETS_PER_SLOT);
    const ids = new Uint32Array(bytes.buffer, layout.idsAt, SLOTS * n);
    const cursor = new Uint32Array(BUCKETS);
    for (let s = 0; s < SLOTS; s++) {
      const base = s * OFFSETS_PER_SLOT;
      // Counting sort by slot value; ids are placed in ascending order within each bucket.
      for (let i = 0; i < n; i++) offsets[base + 1 + slotValue(hashes, i, s)]!++;
      for (let v = 0; v < BUCKETS; v++) {
        offsets[base + v + 1]! += offsets[base + v]!;
        cursor[v] = offsets[base + v]!;
      }
      const idsBase = s * n;
      for (let i = 0; i < n; i++) ids[idsBase + cursor[slotValue(hashes, i, s)]!++] = i;
    }
    if (!LITTLE_ENDIAN) {
      toLittleEndian(offsets);
      toLittleEndian(ids);
      return PdqIndex.fromBytes(bytes);
    }
    return new PdqIndex(bytes, n);
  }

  /**
   * Opens a section written by {@link toBytes}, in place: the index reads the given bytes (a view into the snapshot's
   * (Shared)ArrayBuffer) and copies nothing, unless they are not 4-byte aligned or the machine is big-endian. Every
   * offset, id and count is checked first (see the module comment), in time linear in the size (about 50 ms per
   * million entries), so no later query can read out of bounds or differ from the brute-force scan.
   *
   * @throws ScanError `SNAPSHOT_INVALID` for anything but a well-formed section of this version.
   * @example
   * ```ts
   * const pdq = PdqIndex.fromBytes(new Uint8Array(snapshot, section.offset, section.length));
   * ```
   */
  static fromBytes(bytes: Uint8Array): PdqIndex {
    const opened = openSection(WHAT, bytes, HEADER_WORDS);
    const [magic, version, n, slots, slotBits, total, reserved1, reserved2] = opened.header as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (magic !== MAGIC) throw invalidSection(WHAT, 'bad magic');
    if (version !== VERSION) throw invalidSection(WHAT, `version ${version} is not ${VERSION}`);
    if (slots !== SLOTS || slotBits !== SLOT_BITS)
      throw invalidSection(WHAT, `${slots} slots of ${slotBits} bits; this reader knows 16 of 16`);
    if (reserved1 !== 0 || reserved2 !== 0) throw invalidSection(WHAT, 'reserved header fields are not zero');
    if (n > PDQ_INDEX_MAX_ENTRIES) throw invalidSection(WHAT, `${n} entries is over ${PDQ_INDEX_MAX_ENTRIES}`);
    const layout = layoutOf(n);
    if (total !== layout.total || opened.bytes.length !== layout.total)
      throw invalidSection(
        WHAT,
        `${opened.bytes.length} bytes (header says ${total}) where ${n} entries take ${layout.total}`,
      );
    const index = new PdqIndex(opened.bytes, n);
    index.#validate();
    return index;
  }

  #validate(): void {
    const n = this.size;
    const hashes = this.#hashBytes;
    for (let i = 0; i < n; i++)
      if (this.#qualities[i]! > 100) throw invalidSection(WHAT, `quality of entry ${i} is over 100`);
    const offsets = this.#offsets;
    const ids = this.#ids;
    // Where each entry was found in the slot being checked, stamped (slot · 2^16 + bucket + 1): walking the buckets
    // writes at random into this n-word array, and the hashes are then read in order, which is far faster than
    // reading each id's hash at random. No id twice in a slot, n ids in all, and every entry found in its own bucket
    // means every entry is in its bucket exactly once.
    const found = new Uint32Array(n);
    for (let s = 0; s < SLOTS; s++) {
      const base = s * OFFSETS_PER_SLOT;
      const idsBase = s * n;
      const stampBase = s * BUCKETS + 1;
      if (offsets[base] !== 0 || offsets[base + BUCKETS] !== n)
        throw invalidSection(WHAT, `slot ${s}'s offsets do not run from 0 to ${n}`);
      for (let v = 0; v < BUCKETS; v++) {
        const from = offsets[base + v]!;
        const to = offsets[base + v + 1]!;
        if (to < from || to > n) throw invalidSection(WHAT, `slot ${s} bucket ${v}: offsets out of order`);
        let previous = -1;
        for (let j = from; j < to; j++) {
          const id = ids[idsBase + j]!;
          if (id >= n || id <= previous || found[id]! >= stampBase)
            throw invalidSection(WHAT, `slot ${s} bucket ${v}: entry ${id} is out of range, out of order or repeated`);
          found[id] = stampBase + v;
          previous = id;
        }
      }
      for (let i = 0; i < n; i++)
        if (found[i] !== stampBase + slotValue(hashes, i, s))
          throw invalidSection(WHAT, `slot ${s}: entry ${i} is not in the bucket of its hash`);
    }
  }

  /**
   * The section's bytes, as {@link fromBytes} reads them back (a copy: changing it leaves the index as it was).
   *
   * @example
   * ```ts
   * writeFileSync('pdq.section', index.toBytes());
   * ```
   */
  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /**
   * Entry `entry`'s hash (a view into the index's bytes: do not modify it), or undefined when there is no such entry.
   *
   * @example
   * ```ts
   * pdqHashToHex(index.hash(0)!);
   * ```
   */
  hash(entry: number): Uint8Array | undefined {
    if (!Number.isInteger(entry) || entry < 0 || entry >= this.size) return undefined;
    return this.#hashBytes.subarray(entry * PDQ_HASH_BYTES, (entry + 1) * PDQ_HASH_BYTES);
  }

  /**
   * Entry `entry`'s quality (0–100), or undefined when there is no such entry.
   *
   * @example
   * ```ts
   * const reliable = (index.quality(0) ?? 0) >= PDQ_MIN_QUALITY;
   * ```
   */
  quality(entry: number): number | undefined {
    if (!Number.isInteger(entry) || entry < 0 || entry >= this.size) return undefined;
    return this.#qualities[entry];
  }

  /**
   * The entries within `maxDistance` bits of `query` (default 31, PDQ's match threshold), each once, sorted by
   * distance then entry, leaving out those under `options.minQuality` (default 50). Multi-index hashing for
   * maxDistance ≤ 31; above that a linear scan (MIH would probe more buckets than a scan costs). A query that is not
   * a 32-byte Uint8Array, or a negative or NaN distance, finds nothing; this never throws.
   *
   * @example
   * ```ts
   * const hits = index.search(fingerprint.hash); // [{ entry: 17, distance: 4 }]
   * ```
   */
  search(query: Uint8Array, maxDistance: number = PDQ_MATCH_THRESHOLD, options: PdqSearchOptions = {}): PdqMatch[] {
    const distance = normaliseDistance(maxDistance);
    if (!isHash(query) || distance < 0) return [];
    const out: PdqMatch[] = [];
    const minQuality = normaliseQuality(options.minQuality);
    if (distance >= 2 * SLOT_BITS) this.#scan(query, distance, minQuality, out, options.stats);
    else this.#probe(query, distance, minQuality, out, options.stats);
    return out.sort(byDistanceThenEntry);
  }

  /**
   * What {@link search} returns, computed by comparing the query with every entry: the reference the index is tested
   * against, and the faster choice at loose distances.
   *
   * @example
   * ```ts
   * expect(index.search(q, 20)).toEqual(index.searchBruteForce(q, 20));
   * ```
   */
  searchBruteForce(
    query: Uint8Array,
    maxDistance: number = PDQ_MATCH_THRESHOLD,
    options: PdqSearchOptions = {},
  ): PdqMatch[] {
    const distance = normaliseDistance(maxDistance);
    if (!isHash(query) || distance < 0) return [];
    const out: PdqMatch[] = [];
    this.#scan(query, distance, normaliseQuality(options.minQuality), out, options.stats);
    return out.sort(byDistanceThenEntry);
  }

  /**
   * Searches with each of a query's variants (its 8 dihedral hashes, so that a mirrored or rotated copy of a
   * registered image is found from the registered original) and returns each entry once, at the smallest distance
   * any variant has, with that variant's position in `variants` (the first on ties). Sorted by distance then entry.
   * Variants that are not 32-byte Uint8Arrays are skipped.
   *
   * @example
   * ```ts
   * const { hash, dihedral } = await fingerprintImage(bytes);
   * const hits = index.searchVariants([hash, ...PDQ_VARIANTS.slice(1).map((v) => dihedral[v])]);
   * ```
   */
  searchVariants(
    variants: readonly Uint8Array[],
    maxDistance: number = PDQ_MATCH_THRESHOLD,
    options: PdqSearchOptions = {},
  ): PdqVariantMatch[] {
    if (!isList(variants)) return [];
    const best = new Map<number, PdqVariantMatch>();
    variants.forEach((variant, v) => {
      for (const { entry, distance } of this.search(variant, maxDistance, options)) {
        const seen = best.get(entry);
        if (seen === undefined || distance < seen.distance) best.set(entry, { entry, distance, variant: v });
      }
    });
    return [...best.values()].sort(byDistanceThenEntry);
  }

  #nextGeneration(): Uint32Array {
    this.#seen ??= new Uint32Array(this.size);
    this.#generation = (this.#generation + 1) >>> 0;
    if (this.#generation === 0) {
      this.#seen.fill(0);
      this.#generation = 1;
    }
    return this.#seen;
  }

  #probe(query: Uint8Array, maxDistance: number, minQuality: number, out: PdqMatch[], stats?: PdqSearchStats): void {
    const n = this.size;
    if (n === 0) return;
    const seen = this.#nextGeneration();
    const generation = this.#generation;
    const q8 = this.#query;
    q8.set(query);
    const q = this.#queryWords;
    const hashes = this.#hashWords;
    const qualities = this.#qualities;
    const offsets = this.#offsets;
    const ids = this.#ids;
    const probes = this.#probes;
    // Pigeonhole: some slot is within ⌊maxDistance / 16⌋ (0 or 1) bits of the query's.
    const flips = maxDistance >= SLOT_BITS ? SLOT_BITS : 0;
    let candidates = 0;
    for (let s = 0; s < SLOTS; s++) {
      const value = (q8[2 * s]! << 8) | q8[2 * s + 1]!;
      probes[0] = value;
      for (let b = 0; b < flips; b++) probes[b + 1] = value ^ (1 << b);
      const base = s * OFFSETS_PER_SLOT;
      const idsBase = s * n;
      for (let p = 0; p <= flips; p++) {
        const bucket = base + probes[p]!;
        const end = idsBase + offsets[bucket + 1]!;
        for (let j = idsBase + offsets[bucket]!; j < end; j++) {
          const id = ids[j]!;
          if (seen[id] === generation) continue;
          seen[id] = generation;
          candidates++;
          if (qualities[id]! < minQuality) continue;
          const d = distanceWithin(q, hashes, id * WORDS, maxDistance);
          if (d <= maxDistance) out.push({ entry: id, distance: d });
        }
      }
    }
    if (stats) stats.candidates += candidates;
  }

  #scan(query: Uint8Array, maxDistance: number, minQuality: number, out: PdqMatch[], stats?: PdqSearchStats): void {
    this.#query.set(query);
    scanAll(this.#queryWords, this.#hashWords, this.#qualities, this.size, maxDistance, minQuality, out);
    if (stats) stats.candidates += this.size;
  }
}

/** The linear scan: every entry of sufficient quality within `maxDistance` of the query words `q`. */
function scanAll(
  q: Int32Array,
  hashes: Int32Array,
  qualities: Uint8Array,
  n: number,
  maxDistance: number,
  minQuality: number,
  out: PdqMatch[],
): void {
  for (let id = 0; id < n; id++) {
    if (qualities[id]! < minQuality) continue;
    const d = distanceWithin(q, hashes, id * WORDS, maxDistance);
    if (d <= maxDistance) out.push({ entry: id, distance: d });
  }
}

/** Slot `s` (0–15) of hash `i` in a buffer of 32-byte hashes: bytes 2s and 2s + 1, big-endian. */
function slotValue(hashes: Uint8Array, i: number, s: number): number {
  const at = i * PDQ_HASH_BYTES + 2 * s;
  return (hashes[at]! << 8) | hashes[at + 1]!;
}

/** The Hamming distance of the query's 8 words and the hash at `at`, exact when ≤ `limit` (it stops at halfway). */
function distanceWithin(q: Int32Array, hashes: Int32Array, at: number, limit: number): number {
  const d =
    popcount32(q[0]! ^ hashes[at]!) +
    popcount32(q[1]! ^ hashes[at + 1]!) +
    popcount32(q[2]! ^ hashes[at + 2]!) +
    popcount32(q[3]! ^ hashes[at + 3]!);
  if (d > limit) return d;
  return (
    d +
    popcount32(q[4]! ^ hashes[at + 4]!) +
    popcount32(q[5]! ^ hashes[at + 5]!) +
    popcount32(q[6]! ^ hashes[at + 6]!) +
    popcount32(q[7]! ^ hashes[at + 7]!)
  );
}
