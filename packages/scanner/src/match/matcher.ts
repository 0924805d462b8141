import { createHash } from 'node:crypto';
import {
  decompressChromaprint,
  estimateJaccard,
  findContainment,
  fingerprintText,
  parseIdentifier,
  pdqHashFromHex,
  PDQ_MATCH_THRESHOLD,
  PDQ_MIN_QUALITY,
  urlPrefixCandidates,
  type FingerprintRecord,
  type TextFingerprints,
} from '@heoga/core';
import { EXACT_METHODS, type ExactMethod } from '../snapshot/snapshot-format.js';
import { bandKeys, hexKey, identifierKey } from '../snapshot/keys.js';
import type { SnapshotIndex } from '../snapshot/snapshot-index.js';
import type { MatchMethod } from '../types.js';

/** A match before it is reported: the work's index in the snapshot. */
export interface IndexedMatch {
  readonly work: number;
  readonly method: MatchMethod;
  readonly score: number;
  readonly span?: { readonly start: number; readonly end: number; readonly unit: 'chars' | 'seconds' };
}

/** Thresholds of the near-duplicate methods (research/matching.md); each has a default. */
export interface MatchThresholds {
  /** Least estimated Jaccard similarity for a MinHash LSH candidate to count (default 0.6). */
  readonly minJaccard?: number;
  /** Sampled winnowing hashes a document must share with a work before it is checked for containment (default 2). */
  readonly minContainmentHits?: number;
  /**
   * Most works checked for containment per document (default 32): those whose shared sampled hashes are rarest in
   * the registry first (each hit weighs 1 / the works holding that hash), so stock phrases do not crowd out a copy.
   */
  readonly maxContainmentCandidates?: number;
  /** A sampled hash held by more works than this is boilerplate and proposes none of them (default 64). */
  readonly maxPostings?: number;
}

const DEFAULTS: Required<MatchThresholds> = {
  minJaccard: 0.6,
  minContainmentHits: 2,
  maxContainmentCandidates: 32,
  maxPostings: 64,
};

/** The strength of each method, to keep one match per work: exact beats near beats partial. */
const RANK: Readonly<Record<MatchMethod, number>> = {
  sha256: 0,
  'text-sha256': 1,
  identifier: 2,
  url: 3,
  'url-prefix': 4,
  minhash: 5,
  pdq: 6,
  video: 7,
  chromaprint: 8,
  containment: 9,
};

const encoder = new TextEncoder();
/** Node's native SHA-256: the same digests as core's default, several times faster. */
const nativeSha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

/**
 * Finds the registered works in one item through a snapshot's indexes: exact keys first (file and normalised-text
 * SHA-256, URLs and the longest registered URL prefix), then near duplicates (MinHash LSH candidates confirmed by
 * their estimated Jaccard similarity), then containment (sampled winnowing hashes propose works, and core's
 * `findContainment` confirms each with the work's full fingerprints and returns the copied span), and for media
 * PDQ, Chromaprint and video frame indexes. One match per work, the strongest method kept.
 *
 * @example
 * ```ts
 * const matcher = new Matcher(SnapshotIndex.attach(openSnapshot('index.heoga')));
 * matcher.matchText('…the dataset document…') // [{ work: 12, method: 'containment', score: 0.42, span: … }]
 * ```
 */
export class Matcher {
  private readonly thresholds: Required<MatchThresholds>;
  private readonly seen: Uint32Array;
  private readonly hits: Uint32Array;
  private readonly weights: Float64Array;
  private generation = 0;

  constructor(
    readonly index: SnapshotIndex,
    thresholds: MatchThresholds = {},
  ) {
    this.thresholds = { ...DEFAULTS, ...thresholds };
    const sets = Math.max(index.winnowWorks.length, index.minhashWorks.length, 1);
    this.seen = new Uint32Array(sets);
    this.hits = new Uint32Array(sets);
    this.weights = new Float64Array(sets);
  }

  private exactLookup(
    key: [number, number] | undefined,
    wanted: Exclude<ExactMethod, 'work'>,
    out: Map<number, IndexedMatch>,
  ): void {
    if (key === undefined) return;
    this.index.exact.find(key[0], key[1], (payload) => {
      const method = EXACT_METHODS[payload >>> 28];
      if (method === wanted) add(out, { work: payload & 0x0fffffff, method: wanted, score: 1 });
    });
  }

  /** Matches a file's SHA-256 (lowercase hex). */
  matchSha256(hex: string, out: Map<number, IndexedMatch> = new Map()): Map<number, IndexedMatch> {
    this.exactLookup(hexKey(hex), 'sha256', out);
    return out;
  }

  /** Matches a URL: exactly, and by the longest registered prefix. An unparseable URL matches nothing. */
  matchUrl(url: string, out: Map<number, IndexedMatch> = new Map()): Map<number, IndexedMatch> {
    const parsed = parseIdentifier('url', url);
    if (!parsed.ok) return out;
    const value = parsed.value.value;
    this.exactLookup(identifierKey('url', value), 'url', out);
    const prefixes = urlPrefixCandidates(value).sort((a, b) => b.length - a.length);
    for (const prefix of prefixes) {
      const found = new Map<number, IndexedMatch>();
      this.exactLookup(identifierKey('url-prefix', prefix), 'url-prefix', found);
      if (found.size > 0) {
        for (const m of found.values()) add(out, m);
        break; // the longest registered prefix wins
      }
    }
    return out;
  }

  /** Matches a text; returns its fingerprints too (undefined when nothing is left after normalisation). */
  matchText(
    text: string,
    out: Map<number, IndexedMatch> = new Map(),
  ): { matches: Map<number, IndexedMatch>; fingerprints?: TextFingerprints } {
    let fingerprints: TextFingerprints;
    try {
      fingerprints = fingerprintText(encoder.encode(text), { sha256: nativeSha256 });
    } catch {
      return { matches: out };
    }
    this.exactLookup(hexKey(fingerprints.sha256), 'sha256', out);
    this.exactLookup(hexKey(fingerprints.normalisedSha256), 'text-sha256', out);
    const { minJaccard, minContainmentHits, maxContainmentCandidates, maxPostings } = this.thresholds;

    // MinHash LSH: every band key proposes signatures; each is read once and its Jaccard estimated.
    if (this.index.minhashWorks.length > 0) {
      const generation = this.nextGeneration();
      const keys = bandKeys(fingerprints.minhash);
      for (let b = 0; b < keys.length; b += 2) {
        this.index.lsh.find(keys[b]!, keys[b + 1]!, (entry) => {
          if (this.seen[entry] === generation) return;
          this.seen[entry] = generation;
          const work = this.index.minhashWorks[entry]!;
          if (out.has(work) && RANK[out.get(work)!.method] <= RANK.minhash) return;
          const jaccard = estimateJaccard(fingerprints.minhash, this.index.minhash(entry));
          if (jaccard >= minJaccard) add(out, { work, method: 'minhash', score: jaccard });
        });
      }
    }

    // Containment: sampled hashes propose fingerprint sets; the best-supported ones are confirmed in full.
    if (this.index.winnowWorks.length > 0) {
      const generation = this.nextGeneration();
      const { hashHigh, hashLow } = fingerprints.winnow;
      const sample = this.index.snapshot.manifest.params.containmentSample;
      const candidates: number[] = [];
      const postings: number[] = [];
      for (let i = 0; i < hashLow.length; i++) {
        if (hashLow[i]! % sample !== 0) continue;
        postings.length = 0;
        this.index.containment.find(hashHigh[i]!, hashLow[i]!, (entry) => {
          if (postings.length <= maxPostings && postings[postings.length - 1] !== entry) postings.push(entry);
        });
        if (postings.length > maxPostings) continue;
        // A hash few works share says more than one many works share (a stock phrase): each hit weighs 1 / works.
        const weight = 1 / postings.length;
        for (const entry of postings) {
          if (this.seen[entry] !== generation) {
            this.seen[entry] = generation;
            this.hits[entry] = 0;
            this.weights[entry] = 0;
            candidates.push(entry);
          }
          this.hits[entry]!++;
          this.weights[entry]! += weight;
        }
      }
      const strong = candidates
        .filter((entry) => this.hits[entry]! >= minContainmentHits)
        .sort((a, b) => this.weights[b]! - this.weights[a]! || a - b)
        .slice(0, maxContainmentCandidates);
      for (const entry of strong) {
        const work = this.index.winnowWorks[entry]!;
        if (out.has(work) && RANK[out.get(work)!.method] < RANK.containment) continue;
        const result = findContainment(this.index.winnow(entry), text);
        if (result.spans.length === 0) continue;
        const start = Math.min(...result.spans.map((s) => s.documentStart));
        const end = Math.max(...result.spans.map((s) => s.documentEnd));
        add(out, { work, method: 'containment', score: round(result.score), span: { start, end, unit: 'chars' } });
      }
    }
    return { matches: out, fingerprints };
  }

  /** Matches a media file's fingerprint record (image, audio or video, from `@heoga/fingerprint`). */
  matchMedia(record: FingerprintRecord, out: Map<number, IndexedMatch> = new Map()): Map<number, IndexedMatch> {
    if (record.sha256 !== undefined) this.matchSha256(record.sha256, out);
    if (record.image !== undefined && record.image.quality >= PDQ_MIN_QUALITY) {
      const variants = record.image.dihedral.map((hex) => pdqHashFromHex(hex)!).filter((h) => h !== undefined);
      for (const hit of this.index.pdq.searchVariants(variants, PDQ_MATCH_THRESHOLD)) {
        add(out, { work: this.index.pdqWorks[hit.entry]!, method: 'pdq', score: round(1 - hit.distance / 256) });
      }
    }
    if (record.audio !== undefined) {
      const items = decompressChromaprint(record.audio.chromaprint);
      if (items.ok)
        for (const hit of this.index.audio.search(items.value.items)) {
          add(out, {
            work: this.index.audioWorks[hit.entry]!,
            method: 'chromaprint',
            score: round(hit.score),
            span: { start: 0, end: round(hit.overlapSeconds), unit: 'seconds' },
          });
        }
    }
    if (record.video !== undefined) {
      const frames = record.video.frames
        .map((f) => ({ second: f.second, hash: pdqHashFromHex(f.pdq)!, quality: f.quality }))
        .filter((f) => f.hash !== undefined);
      for (const hit of this.index.video.search({ frames })) {
        add(out, { work: this.index.videoWorks[hit.entry]!, method: 'video', score: round(hit.queryCoverage) });
      }
    }
    return out;
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

function add(out: Map<number, IndexedMatch>, match: IndexedMatch): void {
  const current = out.get(match.work);
  if (
    current === undefined ||
    RANK[match.method] < RANK[current.method] ||
    (match.method === current.method && match.score > current.score)
  )
    out.set(match.work, match);
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

/** SHA-256 (hex) of bytes. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
