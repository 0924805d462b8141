/**
 * What a report says about the scan itself, beside what it found: which snapshot, regime and use, when, which input
 * and which outputs (with their digests, so that the report can later be logged and verified), and which scanner.
 */
import type { RegimeId, Use } from '@heoga/core';
import type { Compression, InputFormat } from '../types.js';

/** The digest of one file the scan wrote (`cleared.<fmt>`, `verdicts.jsonl`, `quote.json`…). */
export interface OutputDigest {
  /** The file name inside `--out DIR`. */
  readonly name: string;
  readonly bytes: number;
  /** Lower-case hexadecimal SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** How many records the file holds, where it holds records. */
  readonly records?: number;
}

/**
 * Everything a report needs that the verdict lines do not carry. The caller (the scan command) fills it in once the
 * outputs are written and hashed. A report cannot hold its own digest: `report.json` and `report.html` are not in
 * `outputs` unless the caller writes one before rendering the other.
 *
 * @example
 * ```ts
 * const context: ReportContext = {
 *   snapshot: { id: 'snap-2026-11-25', createdAt: '2026-11-25T00:00:00Z', registry: 'https://registry.heoga.example', works: 120_000 },
 *   regime: 'permission-first', use: 'ai-train-genai',
 *   startedAt: '2026-11-25T09:00:00Z', finishedAt: '2026-11-25T09:12:03Z',
 *   input: { path: 'corpus.jsonl.zst', format: 'jsonl', compression: 'zstd', records: 1_000_000, bytes: 3_221_225_472, sha256: '…' },
 *   outputs: [{ name: 'verdicts.jsonl', bytes: 412_000_000, sha256: '…', records: 1_000_000 }],
 *   scanner: { version: '0.1.0', workers: 8 },
 * };
 * ```
 */
export interface ReportContext {
  readonly snapshot: {
    readonly id: string;
    /** RFC 3339 time the snapshot was made. */
    readonly createdAt: string;
    /** The registry the snapshot was exported from (its base URL or name). */
    readonly registry: string;
    /** How many works the snapshot holds. */
    readonly works: number;
    /** The id of the key the snapshot's signature verified under, when it is signed. */
    readonly keyId?: string;
  };
  readonly regime: RegimeId;
  readonly use: Use;
  /** RFC 3339 times the scan started and finished. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly input: {
    readonly path: string;
    readonly format: InputFormat;
    readonly compression: Compression;
    readonly records: number;
    readonly bytes: number;
    /** Lower-case hexadecimal SHA-256 of the input file's bytes as stored (compressed, where it is). */
    readonly sha256: string;
  };
  readonly outputs: readonly OutputDigest[];
  readonly scanner: { readonly version: string; readonly workers: number };
}
