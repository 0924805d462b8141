import type { RegimeId, Use } from '@heoga/core';
import type { FieldMapping, InputFormat } from '../types.js';

/**
 * The unit of work of a scan: a range of records of one input, cleared against one snapshot, for one use under one
 * regime, at one evaluation time. Everything a verdict depends on is in it, so any machine that has the same input
 * and snapshot (checked by `snapshotId`) produces the same `verdicts.jsonl` lines for the range, byte for byte; the
 * distributed scan hands shards to workers and concatenates their lines in range order.
 */
export interface ScanShard {
  readonly format: 'heoga-scan-shard/1';
  readonly snapshotId: string;
  readonly input: {
    readonly path: string;
    readonly format: InputFormat;
    /** Size and modification time when the scan began: a changed input is a different scan. */
    readonly bytes: number;
    readonly modifiedMs: number;
  };
  readonly mapping: FieldMapping;
  readonly use: Use;
  readonly regime: RegimeId;
  /** RFC 3339 evaluation time, fixed for the whole scan (a resumed scan keeps it). */
  readonly at: string;
  /** Read the site signals of each record's URL (`--check-urls`). */
  readonly checkUrls: boolean;
  /** Records `[from, to)`, by input index; `to` absent means to the end of the input. */
  readonly range: { readonly from: number; readonly to?: number };
}

/** Whether two shards describe the same scan (everything but the range). */
export function sameScan(a: ScanShard, b: ScanShard): boolean {
  const { range: _a, ...restA } = a;
  const { range: _b, ...restB } = b;
  return JSON.stringify(sortKeys(restA)) === JSON.stringify(sortKeys(restB));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}
