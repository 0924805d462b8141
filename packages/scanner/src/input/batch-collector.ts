/**
 * Groups delimited records into {@link RecordBatch}es of about `batchBytes`, numbering them and dropping the first
 * `skip` (a resumed scan starts at record `skip`; the skipped records are counted, never built).
 */
import type { RawRecord, RecordBatch } from '../types.js';

/** A batch as {@link InputSource.batches} yields it: a {@link RecordBatch} and the bytes read from disk so far. */
export interface InputBatch extends RecordBatch {
  /** Bytes read from disk up to this batch (compressed bytes for a compressed file; folder: sum of file sizes). */
  readonly diskBytesRead: number;
}

/**
 * Collects records in input order into batches. Call {@link BatchCollector.wants} before building a record: when it
 * is false, call {@link BatchCollector.pass} instead, so a skipped record costs nothing but the count.
 *
 * @example
 * ```ts
 * const c = new BatchCollector(10, 1 << 20, () => progress.diskBytesRead);
 * if (c.wants()) c.add({ t: 'url', line }, line.length, offset); else c.pass(offset);
 * yield* c.drain();
 * ```
 */
export class BatchCollector {
  /** Index of the next record. */
  index = 0;
  private records: RawRecord[] = [];
  private first = 0;
  private size = 0;
  private bytesRead = 0;
  private readonly ready: InputBatch[] = [];

  constructor(
    readonly skip: number,
    readonly batchBytes: number,
    private readonly diskBytesRead: () => number,
  ) {}

  /** True when the next record is past `skip` and must be built. */
  wants(): boolean {
    return this.index >= this.skip;
  }

  /** Counts a skipped record; `bytesRead` is the input offset just after it. */
  pass(bytesRead: number): void {
    this.index++;
    this.bytesRead = bytesRead;
  }

  /** Adds the next record (of about `size` bytes); `bytesRead` is the input offset just after it. */
  add(record: RawRecord, size: number, bytesRead: number): void {
    if (this.records.length === 0) this.first = this.index;
    this.index++;
    this.records.push(record);
    this.size += size;
    this.bytesRead = bytesRead;
    if (this.size >= this.batchBytes) this.cut();
  }

  /** Adds the next record whether or not it is past `skip` (counts it when it is not). */
  addOrPass(record: RawRecord, size: number, bytesRead: number): void {
    if (this.wants()) this.add(record, size, bytesRead);
    else this.pass(bytesRead);
  }

  /** Closes the current batch (at the end of the input, or before a wait). */
  cut(): void {
    if (this.records.length === 0) return;
    this.ready.push({
      first: this.first,
      records: this.records,
      bytesRead: this.bytesRead,
      diskBytesRead: this.diskBytesRead(),
    });
    this.records = [];
    this.size = 0;
  }

  /** Yields (and forgets) the batches closed so far. */
  *drain(): Generator<InputBatch> {
    if (this.ready.length === 0) return;
    const ready = this.ready.splice(0, this.ready.length);
    yield* ready;
  }
}
