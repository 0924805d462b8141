/**
 * The shapes every part of the scanner shares: what an input reader hands over (raw records), what a record becomes
 * once decoded (a scan item), how it matched, and the per-record line of `verdicts.jsonl`.
 */
import type { Verdict } from '@heoga/core';

/** The input formats `heoga scan` reads. */
export const INPUT_FORMATS = ['jsonl', 'csv', 'parquet', 'webdataset', 'folder', 'urls'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Compression of a JSON Lines, CSV or URL-list file, read from its name (`.gz`, `.zst`) and checked by magic bytes. */
export type Compression = 'none' | 'gzip' | 'zstd';

/** Which fields of a record hold what; unset fields are auto-detected (see `input/fields.ts`). */
export interface FieldMapping {
  readonly textField?: string;
  readonly urlField?: string;
  readonly imageField?: string;
  readonly idField?: string;
}

/**
 * One record as an input reader delimits it, before decoding. The main thread only delimits (cheap); workers decode,
 * so a record crosses to a worker as bytes or plain values (structured-clone safe).
 */
export type RawRecord =
  /** One line of a JSON Lines file, without its line terminator. */
  | { readonly t: 'json'; readonly bytes: Uint8Array }
  /** One CSV record's fields (already split, quotes removed), in header order. */
  | { readonly t: 'csv'; readonly fields: readonly string[] }
  /** One Parquet row, as hyparquet decodes it (plain values, Uint8Array for binary columns). */
  | { readonly t: 'row'; readonly value: Readonly<Record<string, unknown>> }
  /** One WebDataset sample: the members sharing a key, by extension without the dot (`jpg`, `txt`, `json`). */
  | { readonly t: 'sample'; readonly key: string; readonly members: Readonly<Record<string, Uint8Array>> }
  /** One file of a folder: its path relative to the folder, and its bytes. */
  | { readonly t: 'file'; readonly path: string; readonly bytes: Uint8Array }
  /** One line of a URL list. */
  | { readonly t: 'url'; readonly line: string }
  /** A record the reader could delimit but not read (a truncated tar member, an unterminated CSV quote). */
  | { readonly t: 'bad'; readonly reason: string; readonly id?: string };

/** A batch of consecutive records from a reader. */
export interface RecordBatch {
  /** Index (0-based, in input order) of `records[0]`. */
  readonly first: number;
  readonly records: readonly RawRecord[];
  /** Input bytes consumed up to the end of this batch (uncompressed size where the reader knows it, else on disk). */
  readonly bytesRead: number;
}

/** What a scan looks at in one record, once decoded and its fields mapped. */
export interface ScanItem {
  readonly id?: string;
  readonly text?: string;
  readonly url?: string;
  /** Media bytes (an image, sound or video file), with a file name or extension when known. */
  readonly media?: { readonly bytes: Uint8Array; readonly name?: string };
}

/** A decoded record: the item, or why it cannot be read. */
export type DecodedRecord =
  | { readonly ok: true; readonly item: ScanItem }
  | { readonly ok: false; readonly reason: string; readonly id?: string };

/** How a record was found to hold a registered work. */
export const MATCH_METHODS = [
  'sha256',
  'text-sha256',
  'identifier',
  'url',
  'url-prefix',
  'minhash',
  'containment',
  'pdq',
  'chromaprint',
  'video',
] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];

/** A registered work found in a record. */
export interface WorkMatch {
  readonly workId: string;
  /** The work's kind: text, image, audio or video. */
  readonly kind: string;
  readonly method: MatchMethod;
  /** 1 for exact matches; the similarity or coverage for near ones (method-specific, 0…1). */
  readonly score: number;
  /** Where in the record the work was found: characters of the text, or seconds of audio or video. */
  readonly span?: { readonly start: number; readonly end: number; readonly unit: 'chars' | 'seconds' };
}

/** The line `verdicts.jsonl` holds for one record. */
export type VerdictLine =
  | {
      readonly index: number;
      readonly id?: string;
      readonly verdict: Verdict['outcome'];
      readonly use: string;
      readonly regime: string;
      readonly matches: readonly WorkMatch[];
      readonly evidence: Verdict['evidence'];
      readonly reason: Verdict['reason'];
      readonly quote?: Verdict['quote'];
      readonly accrual?: Verdict['accrual'];
    }
  | {
      readonly index: number;
      readonly id?: string;
      readonly verdict: 'unreadable';
      readonly use: string;
      readonly regime: string;
      readonly reason: string;
      readonly matches: readonly [];
      readonly evidence: readonly [];
    };

/** What a snapshot says about one registered work, for reports and quotes (its statements are kept apart). */
export interface WorkInfo {
  readonly id: string;
  /** text, image, audio or video. */
  readonly kind: string;
  /** The first title, with its language, when the work has one. */
  readonly title?: { readonly lang: string; readonly title: string };
  /** True while another work disputes one of its identifiers or fingerprints. */
  readonly disputed: boolean;
  /** Rights holders and their shares in basis points (they add up to 10,000). */
  readonly holders: readonly {
    readonly id: string;
    readonly name: string;
    readonly role: string;
    readonly shareBp: number;
  }[];
}
