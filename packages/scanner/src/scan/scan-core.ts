import { evaluate, type Statement, type Verdict } from '@heoga/core';
import { fingerprint } from '@heoga/fingerprint';
import type { SignalReader } from '@heoga/reader';
import { decodeRecord } from '../input/index.js';
import { Matcher, sha256Hex, type IndexedMatch } from '../match/matcher.js';
import type { SnapshotIndex } from '../snapshot/snapshot-index.js';
import type { RawRecord, RecordBatch, ScanItem, VerdictLine, WorkMatch } from '../types.js';
import type { ScanShard } from './shard.js';

/** Records of one batch cleared at once while their URLs' site signals are read. */
const URL_CONCURRENCY = 32;

/** What one batch came to: its `verdicts.jsonl` lines, joined, and how many records. */
export interface BatchResult {
  readonly first: number;
  readonly records: number;
  readonly lines: string;
}

/**
 * Clears records, one batch at a time, in one thread: decodes each (an unreadable record becomes an `unreadable`
 * line with its reason), fingerprints it, finds its registered works, gathers their registry statements (with every
 * work in an open dispute with them, so the most restrictive stance applies) and, with `checkUrls`, the site
 * signals of its URL, and evaluates the shard's regime for its use. The same shard and records give the same lines.
 *
 * @example
 * ```ts
 * const core = new ScanCore(SnapshotIndex.attach(snapshot), shard);
 * const { lines } = await core.process(batch); // one JSON line per record, in order
 * ```
 */
export class ScanCore {
  private readonly matcher: Matcher;
  private readonly noMatch: Verdict;
  private readonly columns: readonly string[] | undefined;

  constructor(
    readonly index: SnapshotIndex,
    readonly shard: ScanShard,
    options: { readonly columns?: readonly string[]; readonly signals?: SignalReader } = {},
  ) {
    this.matcher = new Matcher(index);
    this.columns = options.columns;
    this.signals = options.signals;
    this.noMatch = evaluate({ statements: [], use: shard.use, regime: shard.regime, at: shard.at });
  }

  private readonly signals: SignalReader | undefined;

  /** Clears a batch of records. */
  async process(batch: RecordBatch): Promise<BatchResult> {
    const lines: string[] = new Array<string>(batch.records.length);
    // Reading site signals waits on the network: then records are cleared several at a time (the reader keeps
    // each origin to its politeness limit). Otherwise one after another, which is faster for pure computation.
    const parallel = this.shard.checkUrls && this.signals !== undefined ? URL_CONCURRENCY : 1;
    let next = 0;
    const run = async () => {
      while (next < batch.records.length) {
        const i = next++;
        lines[i] = JSON.stringify(await this.processRecord(batch.first + i, batch.records[i]!));
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batch.records.length) }, run));
    return {
      first: batch.first,
      records: batch.records.length,
      lines: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    };
  }

  private unreadable(index: number, reason: string, id?: string): VerdictLine {
    return {
      index,
      ...(id === undefined ? {} : { id }),
      verdict: 'unreadable',
      use: this.shard.use,
      regime: this.shard.regime,
      reason,
      matches: [],
      evidence: [],
    };
  }

  /** One record's line. Never throws: anything that goes wrong with the record is its `unreadable` reason. */
  async processRecord(index: number, raw: RawRecord): Promise<VerdictLine> {
    const decoded = decodeRecord(raw, this.shard.mapping, this.columns);
    if (!decoded.ok) return this.unreadable(index, decoded.reason, decoded.id);
    const item = decoded.item;
    let found: Map<number, IndexedMatch>;
    try {
      found = await this.match(item);
    } catch (error) {
      return this.unreadable(index, describe(error), item.id);
    }
    const statements: Statement[] = [];
    const works = new Set<number>();
    for (const work of found.keys()) {
      works.add(work);
      for (const other of this.index.disputedWith(work)) works.add(other);
    }
    for (const work of [...works].sort((a, b) => a - b)) statements.push(...this.index.work(work).statements);
    if (this.shard.checkUrls && item.url !== undefined && this.signals !== undefined) {
      try {
        const report = await this.signals.read(item.url, { use: this.shard.use, now: () => new Date(this.shard.at) });
        statements.push(...report.statements);
      } catch {
        // An unreachable site says nothing: its URL adds no statement (the verdict's evidence shows none from it).
      }
    }
    const verdict =
      statements.length === 0
        ? this.noMatch
        : evaluate({ statements, use: this.shard.use, regime: this.shard.regime, at: this.shard.at });
    const matches: WorkMatch[] = [...found.values()]
      .sort((a, b) => a.work - b.work)
      .map((m) => {
        const info = this.index.work(m.work).info;
        return {
          workId: info.id,
          kind: info.kind,
          method: m.method,
          score: m.score,
          ...(m.span === undefined ? {} : { span: m.span }),
        };
      });
    return {
      index,
      ...(item.id === undefined ? {} : { id: item.id }),
      verdict: verdict.outcome,
      use: this.shard.use,
      regime: this.shard.regime,
      matches,
      evidence: verdict.evidence,
      reason: verdict.reason,
      ...(verdict.quote === undefined ? {} : { quote: verdict.quote }),
      ...(verdict.accrual === undefined ? {} : { accrual: verdict.accrual }),
    };
  }

  private async match(item: ScanItem): Promise<Map<number, IndexedMatch>> {
    const found = new Map<number, IndexedMatch>();
    if (item.text !== undefined) this.matcher.matchText(item.text, found);
    if (item.url !== undefined) this.matcher.matchUrl(item.url, found);
    if (item.media !== undefined) {
      const bytes = item.media.bytes;
      this.matcher.matchSha256(sha256Hex(bytes), found);
      const record = await fingerprint(bytes);
      this.matcher.matchMedia(record, found);
    }
    return found;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
