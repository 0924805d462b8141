/**
 * The index snapshot file, `heoga-index/1` (docs/index-snapshot.md describes it for other implementations):
 *
 *     "HEOGAIX1"                      8 bytes, the magic
 *     u32 LE M, manifest              M bytes of UTF-8 JSON (`SnapshotManifest`)
 *     u32 LE N, note                  N bytes: a C2SP signed note over the manifest's SHA-256
 *     zero padding to a multiple of 8
 *     sections                        each at `dataStart + offset`, 8-byte aligned, as the manifest lists them
 *
 * The snapshot id is the SHA-256 (hex) of the manifest bytes. The note's text is `heoga-index/1\n<id>\n`, signed by
 * the registry's key (the transparency log's key); the manifest names the verifier key, and every section's SHA-256,
 * so one signature covers every byte. `memory` sections are loaded into one shared buffer for all worker threads;
 * `disk` sections (the bulky ones only a confirmed candidate needs) are read at their offsets on demand.
 */

export const SNAPSHOT_MAGIC = 'HEOGAIX1';
export const SNAPSHOT_FORMAT = 'heoga-index/1';

/** The sections of a snapshot, by name. */
export const SECTION_NAMES = [
  /** Works: JSON records, one after another (disk). */
  'works',
  /** Works: Float64 byte offsets of each record in `works`, and the end (memory). */
  'work-offsets',
  /** Policy sets shared by works: a JSON array of `[use, stance, observedAt][]` (memory). */
  'policies',
  /** Open disputes: a KeyTable from (work index, 0) to each disputing work's index (memory). */
  'disputes',
  /** Exact keys: SHA-256 of files and of normalised text, identifiers, URLs and URL prefixes (memory). */
  'exact',
  /** Which work each MinHash signature belongs to: u32 per signature (memory). */
  'minhash-works',
  /** MinHash signatures, 128 u32 each (disk). */
  'minhash',
  /** LSH buckets: band key → signature index (memory). */
  'lsh',
  /** Which work each winnowing fingerprint set belongs to: u32 per set (memory). */
  'winnow-works',
  /** Float64 offsets (in fingerprints) of each set in `winnow`, and the end (memory). */
  'winnow-offsets',
  /** Winnowing fingerprint sets: per set, positions, then high halves, then low halves, u32 each (disk). */
  'winnow',
  /** The containment index: sampled winnowing hashes → set index (memory). */
  'containment',
  /** PDQ: which work each hash belongs to (memory). */
  'pdq-works',
  /** PDQ: the multi-index hashing table (memory). */
  'pdq',
  /** Audio: which work each fingerprint belongs to (memory). */
  'audio-works',
  /** Audio: the offset-voting index, with the fingerprints (memory). */
  'audio',
  /** Video: which work each fingerprint belongs to (memory). */
  'video-works',
  /** Video: the frame index, with the frames (memory). */
  'video',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Where a section lives once loaded. */
export type SectionResidence = 'memory' | 'disk';

/** One section of the file. */
export interface SectionEntry {
  readonly name: SectionName;
  /** Bytes from the start of the data area. */
  readonly offset: number;
  readonly length: number;
  readonly sha256: string;
  readonly residence: SectionResidence;
}

/** Exact-key kinds, the u32 payload's top 4 bits in the `exact` table (the low 28 bits are the work index). */
/** `work` keys are SHA-256(`work \0 id`): how a report finds a work by its id. */
export const EXACT_METHODS = ['sha256', 'text-sha256', 'identifier', 'url', 'url-prefix', 'work'] as const;
export type ExactMethod = (typeof EXACT_METHODS)[number];
/** Works addressable by the `exact` table's 28-bit work index. */
export const MAX_WORKS = 1 << 28;

/** Hashes of winnowing fingerprints kept in the containment index: those whose low bits are 0 modulo this. */
export const CONTAINMENT_SAMPLE = 4;

/** The manifest: what the snapshot holds and where, signed through its digest. */
export interface SnapshotManifest {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly createdAt: string;
  readonly registry: { readonly name: string; readonly url?: string };
  /** The verifier key (C2SP note form) whose signature the note carries. */
  readonly key: string;
  readonly counts: {
    readonly works: number;
    readonly disputedWorks: number;
    readonly exactKeys: number;
    readonly minhashSignatures: number;
    readonly lshKeys: number;
    readonly winnowSets: number;
    readonly winnowFingerprints: number;
    readonly containmentKeys: number;
    readonly pdqHashes: number;
    readonly audioFingerprints: number;
    readonly videoFingerprints: number;
    /** Fingerprints of unknown algorithms or with unreadable values, left out. */
    readonly skippedFingerprints: number;
  };
  readonly params: {
    readonly lshBands: number;
    readonly lshRows: number;
    readonly containmentSample: number;
    readonly pdqMaxDistance: number;
  };
  readonly sections: readonly SectionEntry[];
}

/** The signed note's text for a snapshot id. */
export const noteTextFor = (id: string): string => `${SNAPSHOT_FORMAT}\n${id}\n`;

/** Rounds up to a multiple of 8. */
export const align8 = (n: number): number => Math.ceil(n / 8) * 8;
