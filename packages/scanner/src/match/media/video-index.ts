/**
 * An index of registered videos (vPDQ fingerprints, one PDQ hash per second: matching.md §3) that finds which of them
 * a query video holds, or is part of. Every registered frame of usable quality (≥ `PDQ_MIN_QUALITY`) goes into one
 * {@link PdqIndex}, with a payload mapping frame → (entry, second). Each usable query frame is searched with its
 * dihedral variants when it has them (so a mirrored video is found); each hit votes for its entry at offset
 * registered second − query second. An entry becomes a candidate only if it can pass `compareVideo`'s rule: some
 * offset holds, with its ±1 s neighbours, at least `VIDEO_MIN_ALIGNED_FRAMES` votes, or at least 2 query frames match
 * and either side's coverage reaches `VIDEO_MIN_COVERAGE`. Because the PDQ index finds exactly the frames the brute
 * force does, these are necessary conditions, and no entry `compareVideo` would match is dropped before the candidate
 * cap. The best candidates (most aligned votes first, at most `maxCandidates`) are confirmed with
 * `compareVideo(query, reference)`, the reference rebuilt from the stored frames.
 *
 * Only frames of quality ≥ 50 are stored: `compareVideo` leaves the others out of both its matching and its
 * coverage counts at its default `minQuality`, so the results are the same as against the full fingerprint.
 *
 * Byte layout of a section, all integers little-endian u32, every part starting 8-byte aligned:
 *
 * | at | bytes | what |
 * |---|---|---|
 * | 0 | 4 | magic `HVID` |
 * | 4 | 4 | version, 1 |
 * | 8 | 4 | n, entries (≤ 2^24) |
 * | 12 | 4 | f, frames stored (≤ 2^25) |
 * | 16 | 4 | total length of the section in bytes |
 * | 20 | 12 | reserved, zero |
 * | 32 | 4·(n+1) | entry starts: entry e's frames are frames starts[e] … starts[e+1]) |
 * | then | 4·f | each frame's second, strictly increasing within an entry |
 * | then | 4·f | each frame's entry (what the starts say, stored for lookups in place) |
 * | then | rest | a {@link PdqIndex} section of the f frames' hashes and qualities (all ≥ 50) |
 */
import {
  PDQ_HASH_BYTES,
  PDQ_MATCH_THRESHOLD,
  PDQ_MIN_QUALITY,
  PDQ_VARIANTS,
  VIDEO_MIN_ALIGNED_FRAMES,
  VIDEO_MIN_COVERAGE,
  compareVideo,
  type PdqDihedral,
  type VideoFingerprint,
  type VideoFrameFingerprint,
} from '@heoga/core';
import { PdqIndex, PDQ_INDEX_MAX_ENTRIES } from './pdq-index.js';
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

const MAGIC = magicOf('HVID');
const VERSION = 1;
const HEADER_WORDS = 8;
const HEADER_BYTES = HEADER_WORDS * 4;
const WHAT = 'video index';
const MAX_ENTRIES = 1 << 24;

/** Options of {@link VideoIndex.search}. */
export interface VideoSearchOptions {
  /** Most entries confirmed with `compareVideo`, the best-aligned first (default 8). */
  readonly maxCandidates?: number;
}

/** One confirmed match of {@link VideoIndex.search}, with `compareVideo`'s figures. */
export interface VideoMatch {
  readonly entry: number;
  /** Share of the query's usable frames that match some frame of the registered video. */
  readonly queryCoverage: number;
  /** Share of the registered video's usable frames that some query frame matches. */
  readonly referenceCoverage: number;
  /** Registered second − query second that most matches agree on (the clip starts there in the work). */
  readonly offsetSeconds: number;
  /** Query frames matching at that offset, within ±1 s. */
  readonly alignedFrames: number;
}

interface Layout {
  readonly secondsAt: number;
  readonly entriesAt: number;
  readonly pdqAt: number;
}

function layoutOf(n: number, f: number): Layout {
  const secondsAt = align8(HEADER_BYTES + 4 * (n + 1));
  const entriesAt = align8(secondsAt + 4 * f);
  return { secondsAt, entriesAt, pdqAt: align8(entriesAt + 4 * f) };
}

function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === PDQ_HASH_BYTES;
}

/** A query frame as `compareVideo` may safely read it, or undefined when it is malformed or under quality 50. */
function usableFrame(frame: unknown): VideoFrameFingerprint | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const { second, quality, hash, dihedral } = frame as Partial<VideoFrameFingerprint>;
  if (typeof second !== 'number' || !Number.isFinite(second) || !isHash(hash)) return undefined;
  if (typeof quality !== 'number' || !(quality >= PDQ_MIN_QUALITY)) return undefined;
  const variants = dihedral as Partial<Record<keyof PdqDihedral, unknown>> | undefined;
  const wellFormed =
    typeof variants === 'object' &&
    variants !== null &&
    PDQ_VARIANTS.every((v) => v === 'original' || isHash(variants[v]));
  return wellFormed ? { second, quality, hash, dihedral: variants as PdqDihedral } : { second, quality, hash };
}

interface EntryVotes {
  /** Query frames with at least one hit in this entry (counted once each). */
  queryMatched: number;
  lastQuery: number;
  /** Registered frames hit. */
  readonly referenceHit: Set<number>;
  /** Offset → query frames matching there. */
  readonly offsets: Map<number, number>;
}

/**
 * A video index over registered vPDQ fingerprints (see the module comment for the method and byte layout). Entries
 * are numbered by their position at build. `search` returns only what `compareVideo` confirms.
 *
 * @example
 * ```ts
 * const index = VideoIndex.build(films.map((f) => parseVideoFingerprint(f.value)).filter((r) => r.ok).map((r) => r.value));
 * const loaded = VideoIndex.fromBytes(index.toBytes());
 * for (const m of loaded.search(clip)) console.log(workOf[m.entry], `from ${m.offsetSeconds} s`, m.queryCoverage);
 * ```
 */
export class VideoIndex {
  /** Number of entries (registered videos). */
  readonly size: number;
  /** Frames stored (those of quality ≥ 50), all entries together. */
  readonly frameCount: number;
  readonly #bytes: Uint8Array;
  readonly #starts: Uint32Array;
  readonly #seconds: Uint32Array;
  readonly #frameEntries: Uint32Array;
  readonly #pdq: PdqIndex;

  private constructor(bytes: Uint8Array, n: number, f: number, pdq: PdqIndex) {
    const layout = layoutOf(n, f);
    this.size = n;
    this.frameCount = f;
    this.#bytes = bytes;
    this.#starts = u32Part(bytes, HEADER_BYTES, n + 1);
    this.#seconds = u32Part(bytes, layout.secondsAt, f);
    this.#frameEntries = u32Part(bytes, layout.entriesAt, f);
    this.#pdq = pdq;
  }

  /**
   * Builds an index over registered videos, as `parseVideoFingerprint` returns them; frames under quality 50 are
   * left out (see the module comment).
   *
   * @throws ScanError `SNAPSHOT_INVALID` when a frame is malformed (second not a whole number from 0 to 2^32 − 1 or
   *   not increasing, quality not 0–100, hash not 32 bytes), or there are too many entries or frames.
   * @example
   * ```ts
   * const index = VideoIndex.build([film.value, trailer.value]);
   * ```
   */
  static build(entries: readonly VideoFingerprint[]): VideoIndex {
    if (!isList(entries) || entries.length > MAX_ENTRIES)
      throw invalidSection(WHAT, `entries must be an array of at most ${MAX_ENTRIES} video fingerprints`);
    const n = entries.length;
    const starts = new Uint32Array(n + 1);
    const kept: VideoFrameFingerprint[] = [];
    const keptEntries: number[] = [];
    entries.forEach((video, e) => {
      const frames = (video as Partial<VideoFingerprint> | undefined)?.frames;
      if (!Array.isArray(frames)) throw invalidSection(WHAT, `entry ${e} has no frames array`);
      let previous = -1;
      frames.forEach((frame: unknown, i) => {
        if (typeof frame !== 'object' || frame === null)
          throw invalidSection(WHAT, `entry ${e} frame ${i} is not a frame`);
        const { second, quality, hash } = frame as VideoFrameFingerprint;
        if (!Number.isInteger(second) || second <= previous || second > 0xffffffff)
          throw invalidSection(WHAT, `entry ${e} frame ${i}: seconds must be whole and increasing`);
        if (!Number.isInteger(quality) || quality < 0 || quality > 100)
          throw invalidSection(WHAT, `entry ${e} frame ${i}: quality must be 0 to 100`);
        if (!isHash(hash)) throw invalidSection(WHAT, `entry ${e} frame ${i}: a PDQ hash is 32 bytes`);
        previous = second;
        if (quality < PDQ_MIN_QUALITY) return;
        kept.push({ second, quality, hash });
        keptEntries.push(e);
      });
      starts[e + 1] = kept.length;
    });
    const f = kept.length;
    if (f > PDQ_INDEX_MAX_ENTRIES) throw invalidSection(WHAT, `${f} frames is over ${PDQ_INDEX_MAX_ENTRIES}`);
    const hashes = new Uint8Array(f * PDQ_HASH_BYTES);
    const qualities = new Uint8Array(f);
    kept.forEach((frame, i) => {
      hashes.set(frame.hash, i * PDQ_HASH_BYTES);
      qualities[i] = frame.quality;
    });
    const pdqBytes = PdqIndex.build(hashes, qualities).toBytes();
    const layout = layoutOf(n, f);
    const bytes = new Uint8Array(layout.pdqAt + pdqBytes.length);
    writeHeader(bytes, [MAGIC, VERSION, n, f, bytes.length, 0, 0, 0]);
    const startsPart = new Uint32Array(bytes.buffer, HEADER_BYTES, n + 1);
    startsPart.set(starts);
    const secondsPart = new Uint32Array(bytes.buffer, layout.secondsAt, f);
    secondsPart.set(kept.map((frame) => frame.second));
    const entriesPart = new Uint32Array(bytes.buffer, layout.entriesAt, f);
    entriesPart.set(keptEntries);
    bytes.set(pdqBytes, layout.pdqAt);
    if (!LITTLE_ENDIAN) for (const part of [startsPart, secondsPart, entriesPart]) toLittleEndian(part);
    return VideoIndex.fromBytes(bytes);
  }

  /**
   * Opens a section written by {@link toBytes} in place, after checking every count, offset and frame, and the
   * embedded PDQ index (see {@link PdqIndex.fromBytes}).
   *
   * @throws ScanError `SNAPSHOT_INVALID` for anything but a well-formed section of this version.
   * @example
   * ```ts
   * const video = VideoIndex.fromBytes(new Uint8Array(snapshot, section.offset, section.length));
   * ```
   */
  static fromBytes(bytes: Uint8Array): VideoIndex {
    const opened = openSection(WHAT, bytes, HEADER_WORDS);
    const [magic, version, n, f, total, r1, r2, r3] = opened.header as number[];
    if (magic !== MAGIC) throw invalidSection(WHAT, 'bad magic');
    if (version !== VERSION) throw invalidSection(WHAT, `version ${version} is not ${VERSION}`);
    if (r1 !== 0 || r2 !== 0 || r3 !== 0) throw invalidSection(WHAT, 'reserved header fields are not zero');
    if (n! > MAX_ENTRIES || f! > PDQ_INDEX_MAX_ENTRIES) throw invalidSection(WHAT, `${n} entries of ${f} frames`);
    const layout = layoutOf(n!, f!);
    if (total !== opened.bytes.length || opened.bytes.length < layout.pdqAt)
      throw invalidSection(WHAT, `${opened.bytes.length} bytes (header says ${total}) is too short for ${f} frames`);
    const pdq = PdqIndex.fromBytes(opened.bytes.subarray(layout.pdqAt));
    if (pdq.size !== f) throw invalidSection(WHAT, `the PDQ index holds ${pdq.size} frames, not ${f}`);
    const index = new VideoIndex(opened.bytes, n!, f, pdq);
    index.#validate();
    return index;
  }

  #validate(): void {
    const starts = this.#starts;
    if (starts[0] !== 0 || starts[this.size] !== this.frameCount)
      throw invalidSection(WHAT, `entry starts do not run from 0 to ${this.frameCount}`);
    for (let e = 0; e < this.size; e++) {
      const from = starts[e]!;
      const to = starts[e + 1]!;
      if (to < from) throw invalidSection(WHAT, `entry ${e}: starts out of order`);
      for (let i = from; i < to; i++) {
        if (this.#frameEntries[i] !== e) throw invalidSection(WHAT, `frame ${i} is not entry ${e}'s`);
        if (i > from && this.#seconds[i]! <= this.#seconds[i - 1]!)
          throw invalidSection(WHAT, `entry ${e}: seconds not increasing at frame ${i}`);
        if (this.#pdq.quality(i)! < PDQ_MIN_QUALITY) throw invalidSection(WHAT, `frame ${i} is under quality 50`);
      }
    }
  }

  /**
   * The section's bytes, as {@link fromBytes} reads them back (a copy).
   *
   * @example
   * ```ts
   * sections.push({ kind: 'video', bytes: index.toBytes() });
   * ```
   */
  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  /**
   * Entry `entry`'s stored frames (quality ≥ 50; hashes are views into the index), or undefined when there is no
   * such entry.
   *
   * @example
   * ```ts
   * compareVideo(clip, index.reference(m.entry)!);
   * ```
   */
  reference(entry: number): VideoFingerprint | undefined {
    if (!Number.isInteger(entry) || entry < 0 || entry >= this.size) return undefined;
    const frames: VideoFrameFingerprint[] = [];
    for (let i = this.#starts[entry]!; i < this.#starts[entry + 1]!; i++)
      frames.push({ second: this.#seconds[i]!, quality: this.#pdq.quality(i)!, hash: this.#pdq.hash(i)! });
    return { frames };
  }

  /**
   * The registered videos `query` matches, as `compareVideo` confirms them, highest query coverage first (then
   * reference coverage, then entry). Query frames under quality 50 or malformed are left out, as `compareVideo`
   * leaves out the former; a query that is not a video fingerprint finds nothing. Never throws.
   *
   * @example
   * ```ts
   * const [best] = index.search(await fingerprintVideo('clip.mp4'));
   * if (best) console.log(`${Math.round(best.queryCoverage * 100)} % of the clip is work ${workOf[best.entry]}`);
   * ```
   */
  search(query: VideoFingerprint, options: VideoSearchOptions = {}): VideoMatch[] {
    const frames = (query as Partial<VideoFingerprint> | undefined)?.frames;
    if (!Array.isArray(frames) || this.size === 0) return [];
    const usable: VideoFrameFingerprint[] = [];
    for (const frame of frames as unknown[]) {
      const checked = usableFrame(frame);
      if (checked) usable.push(checked);
    }
    const rawCap = options.maxCandidates;
    const maxCandidates =
      typeof rawCap === 'number' && rawCap >= 0 ? Math.min(Math.floor(rawCap), this.size) : Math.min(8, this.size);

    const byEntry = new Map<number, EntryVotes>();
    usable.forEach((frame, q) => {
      const variants = frame.dihedral
        ? PDQ_VARIANTS.map((v) => (v === 'original' ? frame.hash : frame.dihedral![v]))
        : [frame.hash];
      for (const { entry: f } of this.#pdq.searchVariants(variants, PDQ_MATCH_THRESHOLD)) {
        const entry = this.#frameEntries[f]!;
        let votes = byEntry.get(entry);
        if (votes === undefined) {
          votes = { queryMatched: 0, lastQuery: -1, referenceHit: new Set(), offsets: new Map() };
          byEntry.set(entry, votes);
        }
        if (votes.lastQuery !== q) {
          votes.lastQuery = q;
          votes.queryMatched++;
        }
        votes.referenceHit.add(f);
        const offset = this.#seconds[f]! - frame.second;
        votes.offsets.set(offset, (votes.offsets.get(offset) ?? 0) + 1);
      }
    });

    const candidates: { entry: number; aligned: number; queryMatched: number }[] = [];
    for (const [entry, votes] of byEntry) {
      let aligned = 0;
      for (const offset of votes.offsets.keys()) {
        const around =
          (votes.offsets.get(offset - 1) ?? 0) + votes.offsets.get(offset)! + (votes.offsets.get(offset + 1) ?? 0);
        if (around > aligned) aligned = around;
      }
      const referenceFrames = this.#starts[entry + 1]! - this.#starts[entry]!;
      const covered =
        votes.queryMatched >= 2 &&
        (votes.queryMatched / usable.length >= VIDEO_MIN_COVERAGE ||
          votes.referenceHit.size / referenceFrames >= VIDEO_MIN_COVERAGE);
      if (aligned >= VIDEO_MIN_ALIGNED_FRAMES || covered)
        candidates.push({ entry, aligned, queryMatched: votes.queryMatched });
    }
    candidates.sort((a, b) => b.aligned - a.aligned || b.queryMatched - a.queryMatched || a.entry - b.entry);

    const sanitised: VideoFingerprint = { frames: usable };
    const matches: VideoMatch[] = [];
    for (const { entry } of candidates.slice(0, maxCandidates)) {
      const result = compareVideo(sanitised, this.reference(entry)!);
      if (!result.matched) continue;
      matches.push({
        entry,
        queryCoverage: result.queryCoverage,
        referenceCoverage: result.referenceCoverage,
        offsetSeconds: result.offsetSeconds ?? 0,
        alignedFrames: result.alignedFrames,
      });
    }
    return matches.sort(
      (a, b) => b.queryCoverage - a.queryCoverage || b.referenceCoverage - a.referenceCoverage || a.entry - b.entry,
    );
  }
}
