/**
 * Opening a dataset for a scan: one {@link InputSource} per format, streaming records in a fixed order so record
 * indexes are the same in both phases of a scan and across resumes. Memory stays bounded whatever the input's size:
 * files are streamed (Parquet: one row group at a time), records have size limits (see `limits.ts`).
 */
import { isUtf8 } from 'node:buffer';
import { lstat, readFile, stat } from 'node:fs/promises';
import { ScanError } from '../errors.js';
import type { Compression, InputFormat, RawRecord } from '../types.js';
import { BatchCollector, type InputBatch } from './batch-collector.js';
import { CsvParser } from './csv-parser.js';
import { decodedChunks, newProgress, type ReadProgress } from './decoded-chunks.js';
import { detectInput, isTabSeparated } from './detect-input.js';
import { folderBytes, walkFolder } from './folder-walk.js';
import { DEFAULT_BATCH_BYTES, MAX_FILE_BYTES, MAX_LINE_BYTES, errorMessage, formatBytes } from './limits.js';
import { LineSplitter } from './line-splitter.js';
import { approxSize, openParquet, parquetGroups, type ParquetFile } from './parquet-rows.js';
import { isTarHeaderBlock, readTarSamples } from './tar-samples.js';

/** Options of {@link InputSource.batches}. */
export interface BatchOptions {
  /** Index of the first record to deliver (a resumed scan); the records before it are counted, not built. */
  readonly skip?: number;
  /** Target size of a batch in bytes (default 1 MiB); a batch holds at least one record. */
  readonly batchBytes?: number;
  /** Aborting it ends the iteration with the signal's reason (an `AbortError`). */
  readonly signal?: AbortSignal;
}

/**
 * An opened input: what it is, and its records in batches. `batches()` may be called any number of times (each call
 * reads the input again from the start, and yields the same records with the same indexes).
 */
export interface InputSource {
  readonly format: InputFormat;
  readonly path: string;
  readonly compression: Compression;
  /** Size on disk (folder: the sum of its files' sizes), for a scan's ETA. */
  readonly diskBytes: number;
  /** The CSV header; for Parquet, the top-level column names. */
  readonly columns?: readonly string[];
  /** The records in input order, in batches of about `batchBytes`. */
  batches(options?: BatchOptions): AsyncIterable<InputBatch>;
  /** Releases the source; iterations in progress end at their next chunk, and `batches()` may not be called again. */
  close(): Promise<void>;
}

/** Options of {@link openInput}. */
export interface OpenInputOptions {
  /** The format, when the name does not tell it (see `detectInput`). */
  readonly format?: InputFormat;
  /** Parquet: read only these top-level columns (the others are not decoded). Other formats ignore it. */
  readonly columns?: readonly string[];
}

interface ReadContext {
  readonly path: string;
  readonly compression: Compression;
  readonly collector: BatchCollector;
  readonly progress: ReadProgress;
  readonly signal: AbortSignal | undefined;
  readonly closed: () => boolean;
}

const JSON_WHITESPACE = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0d;

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!JSON_WHITESPACE(buf[i]!)) return false;
  return true;
}

/** A copy of `buf[start, end)` in an ArrayBuffer of its own (so it survives a transfer to a worker). */
function ownBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(buf.subarray(start, end));
  return out;
}

const SLAB_BYTES = 1 << 20;

/**
 * Copies of lines packed into 1 MiB slabs: one allocation per slab, not per line, and a batch posted to a worker
 * carries each slab once (structured cloning copies an ArrayBuffer once, however many views of it a message holds).
 * The input's own chunk buffers are never referenced, so a record never pins or drags along a whole read chunk.
 */
class Slabs {
  private slab = new Uint8Array(SLAB_BYTES);
  private used = 0;

  copy(buf: Uint8Array, start: number, end: number): Uint8Array {
    const length = end - start;
    if (length > SLAB_BYTES >> 2) return ownBytes(buf, start, end);
    if (this.used + length > SLAB_BYTES) {
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + length);
    out.set(buf.subarray(start, end));
    this.used += length;
    return out;
  }
}

const tooLongLine: RawRecord = { t: 'bad', reason: `line longer than ${formatBytes(MAX_LINE_BYTES)}` };

function truncatedTail(ctx: ReadContext, hadPartial: boolean, what: string, bytesRead: number): void {
  const reason = hadPartial
    ? `${ctx.progress.failure ?? 'truncated'}: the last ${what} is incomplete`
    : (ctx.progress.failure ?? 'truncated');
  ctx.collector.addOrPass({ t: 'bad', reason }, reason.length, bytesRead);
}

async function* lineBatches(ctx: ReadContext, kind: 'json' | 'url'): AsyncGenerator<InputBatch> {
  const c = ctx.collector;
  const slabs = new Slabs();
  const onJson = (buf: Buffer, start: number, lineEnd: number, next: number): void => {
    let end = lineEnd;
    if (end > start && buf[end - 1] === 0x0d) end--;
    // A whitespace-only line is not a record, whether the records are built or only counted.
    if (end === start || (JSON_WHITESPACE(buf[start]!) && isBlank(buf, start, end))) return;
    if (c.index < c.skip) c.pass(next);
    else c.add({ t: 'json', bytes: slabs.copy(buf, start, end) }, end - start, next);
  };
  const onUrl = (buf: Buffer, start: number, end: number, next: number): void => {
    const bytes = buf.subarray(start, end);
    if (!isUtf8(bytes)) {
      c.addOrPass({ t: 'bad', reason: 'a URL line that is not valid UTF-8' }, end - start, next);
      return;
    }
    const line = bytes.toString('utf8').trim();
    if (line === '' || line.startsWith('#')) return;
    c.addOrPass({ t: 'url', line }, line.length, next);
  };
  const splitter = new LineSplitter(kind === 'json' ? onJson : onUrl, (next) => c.addOrPass(tooLongLine, 64, next));
  for await (const chunk of decodedChunks(ctx.path, ctx.compression, ctx.progress)) {
    ctx.signal?.throwIfAborted();
    if (ctx.closed()) return;
    splitter.push(chunk);
    yield* c.drain();
  }
  if (ctx.progress.failure !== undefined) truncatedTail(ctx, splitter.abandon(), 'line', splitter.bytesPushed);
  else splitter.end();
  c.cut();
  yield* c.drain();
}

async function* csvBatches(ctx: ReadContext, columns: readonly string[]): AsyncGenerator<InputBatch> {
  const c = ctx.collector;
  let header = true;
  let last = 0;
  let pushed = 0;
  const parser = new CsvParser(
    isTabSeparated(ctx.path) ? '\t' : ',',
    (record, next) => {
      const size = next - last;
      last = next;
      if (header) {
        header = false;
        return;
      }
      if (!record.ok) c.addOrPass({ t: 'bad', reason: record.reason }, size, next);
      else if (record.fields === undefined) c.pass(next);
      else if (record.fields.length !== columns.length) {
        const reason = `the record has ${record.fields.length} fields; the header has ${columns.length}`;
        c.add({ t: 'bad', reason }, size, next);
      } else c.add({ t: 'csv', fields: record.fields }, size, next);
    },
    () => header || c.wants(),
  );
  for await (const chunk of decodedChunks(ctx.path, ctx.compression, ctx.progress)) {
    ctx.signal?.throwIfAborted();
    if (ctx.closed()) return;
    pushed += chunk.length;
    parser.push(chunk);
    yield* c.drain();
  }
  if (ctx.progress.failure !== undefined) {
    const partial = parser.abandon();
    if (!header) truncatedTail(ctx, partial, 'record', pushed);
  } else parser.end();
  c.cut();
  yield* c.drain();
}

/** Reads the header (first record) of a CSV file; an unreadable one throws `INPUT_UNREADABLE`. */
async function readCsvHeader(path: string, compression: Compression): Promise<string[]> {
  let header: string[] | undefined;
  let bad: string | undefined;
  const parser = new CsvParser(isTabSeparated(path) ? '\t' : ',', (record) => {
    if (header !== undefined || bad !== undefined) return;
    if (record.ok) header = record.fields ?? [];
    else bad = record.reason;
  });
  const progress = newProgress();
  for await (const chunk of decodedChunks(path, compression, progress)) {
    parser.push(chunk);
    if (header !== undefined || bad !== undefined) break;
  }
  if (header === undefined && bad === undefined) {
    if (progress.failure !== undefined) bad = progress.failure;
    else parser.end();
  }
  if (bad !== undefined) {
    throw new ScanError('INPUT_UNREADABLE', `${path}: the CSV header cannot be read (${bad})`, { path });
  }
  return header ?? [];
}

async function* parquetBatches(
  ctx: ReadContext,
  parquet: ParquetFile,
  columns: readonly string[] | undefined,
): AsyncGenerator<InputBatch> {
  const c = ctx.collector;
  c.index = c.skip;
  const groups = parquet.metadata.row_groups;
  // Progress by row group sizes from the footer: uncompressed for bytesRead, compressed for diskBytesRead.
  let groupIndex = 0;
  let doneBytes = 0;
  let doneDisk = 0;
  let groupStart = 0;
  for await (const group of parquetGroups(parquet, c.skip, columns)) {
    ctx.signal?.throwIfAborted();
    if (ctx.closed()) return;
    while (
      groupIndex < groups.length &&
      (groupStart < group.groupStart || Number(groups[groupIndex]!.num_rows) === 0)
    ) {
      const g = groups[groupIndex++]!;
      doneBytes += Number(g.total_byte_size);
      doneDisk += compressedSize(g.columns);
      groupStart += Number(g.num_rows);
    }
    const g = groups[groupIndex]!;
    const count = group.end - group.groupStart;
    const groupBytes = Number(g.total_byte_size);
    const groupDisk = compressedSize(g.columns);
    for (let row = group.start; row < group.end; row++) {
      const share = (row + 1 - group.groupStart) / count;
      ctx.progress.diskBytesRead = doneDisk + Math.round(groupDisk * share);
      const bytesRead = doneBytes + Math.round(groupBytes * share);
      const value = group.rows?.[row - group.start];
      if (value === undefined) {
        c.add(
          { t: 'bad', reason: `row group ${groupIndex} cannot be read (${group.error ?? 'no row'})` },
          64,
          bytesRead,
        );
      } else c.add({ t: 'row', value }, approxSize(value), bytesRead);
    }
    c.cut();
    yield* c.drain();
  }
}

function compressedSize(columns: readonly { meta_data?: { total_compressed_size: bigint } }[]): number {
  let total = 0;
  for (const column of columns) total += Number(column.meta_data?.total_compressed_size ?? 0n);
  return total;
}

async function* tarBatches(ctx: ReadContext): AsyncGenerator<InputBatch> {
  const c = ctx.collector;
  for await (const unit of readTarSamples(ctx.path, ctx.compression, ctx.progress)) {
    ctx.signal?.throwIfAborted();
    if (ctx.closed()) return;
    if (unit.kind === 'bad') {
      const record: RawRecord =
        unit.key === undefined ? { t: 'bad', reason: unit.reason } : { t: 'bad', reason: unit.reason, id: unit.key };
      c.addOrPass(record, 64, unit.next);
    } else if (c.wants()) {
      const members = Object.create(null) as Record<string, Uint8Array>;
      for (const member of unit.members) members[member.ext] = member.data;
      c.add({ t: 'sample', key: unit.key, members }, unit.size, unit.next);
    } else c.pass(unit.next);
    yield* c.drain();
  }
  c.cut();
  yield* c.drain();
}

async function* folderBatches(ctx: ReadContext): AsyncGenerator<InputBatch> {
  const c = ctx.collector;
  for await (const item of walkFolder(ctx.path)) {
    ctx.signal?.throwIfAborted();
    if (ctx.closed()) return;
    if (item.kind === 'unlistable') {
      c.addOrPass({ t: 'bad', reason: item.reason, id: item.path }, 64, ctx.progress.diskBytesRead);
      continue;
    }
    let size: number;
    try {
      size = (await lstat(item.absolute)).size;
    } catch (e) {
      const reason = `cannot read the file (${errorMessage(e)})`;
      c.addOrPass({ t: 'bad', reason, id: item.path }, 64, ctx.progress.diskBytesRead);
      continue;
    }
    ctx.progress.diskBytesRead += size;
    const at = ctx.progress.diskBytesRead;
    if (!c.wants()) c.pass(at);
    else if (size > MAX_FILE_BYTES) {
      const reason = `file too large (${formatBytes(size)}; the limit is ${formatBytes(MAX_FILE_BYTES)})`;
      c.add({ t: 'bad', reason, id: item.path }, 64, at);
    } else {
      try {
        const data = await readFile(item.absolute);
        const bytes =
          data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
            ? new Uint8Array(data.buffer, 0, data.byteLength)
            : ownBytes(data, 0, data.length);
        c.add({ t: 'file', path: item.path, bytes }, Math.max(bytes.length, 64), at);
      } catch (e) {
        c.add({ t: 'bad', reason: `cannot read the file (${errorMessage(e)})`, id: item.path }, 64, at);
      }
    }
    yield* c.drain();
  }
  c.cut();
  yield* c.drain();
}

/** Checks that a (possibly compressed) file starts with a tar header. */
async function checkTar(path: string, compression: Compression): Promise<void> {
  const parts: Buffer[] = [];
  let length = 0;
  const progress = newProgress();
  for await (const chunk of decodedChunks(path, compression, progress)) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= 512) break;
  }
  if (length === 0 && progress.failure === undefined) return; // an empty file: no samples
  const head = Buffer.concat(parts).subarray(0, 512);
  if (!isTarHeaderBlock(head)) {
    const why = progress.failure ?? (head.length < 512 ? 'shorter than one tar block' : 'no valid tar header');
    throw new ScanError('INPUT_UNREADABLE', `${path} is not a tar archive (${why})`, { path });
  }
}

function normalise(options: BatchOptions | undefined): { skip: number; batchBytes: number } {
  const skip = options?.skip;
  const batchBytes = options?.batchBytes;
  return {
    skip: skip !== undefined && Number.isFinite(skip) && skip > 0 ? Math.floor(skip) : 0,
    batchBytes:
      batchBytes !== undefined && Number.isFinite(batchBytes) && batchBytes > 0 ? batchBytes : DEFAULT_BATCH_BYTES,
  };
}

/**
 * Opens an input file or folder for a scan: detects its format and compression (see `detectInput`), checks that it
 * can be read (a missing path, an unreadable Parquet footer, a CSV header that cannot be read, a tar that is not a
 * tar throw {@link ScanError} `INPUT_UNREADABLE`), and returns its {@link InputSource}.
 *
 * @example
 * ```ts
 * const source = await openInput('train.jsonl.gz');
 * for await (const batch of source.batches({ skip: 1000 })) send(batch.first, batch.records);
 * await source.close();
 * ```
 */
export async function openInput(path: string, options: OpenInputOptions = {}): Promise<InputSource> {
  const { format, compression } = await detectInput(path, options.format);
  let diskBytes = 0;
  let columns: readonly string[] | undefined;
  let parquet: ParquetFile | undefined;
  try {
    diskBytes = format === 'folder' ? await folderBytes(path) : (await stat(path)).size;
  } catch (e) {
    throw new ScanError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`, { path, cause: e });
  }
  switch (format) {
    case 'csv':
      columns = await readCsvHeader(path, compression);
      break;
    case 'parquet':
      parquet = await openParquet(path);
      columns =
        options.columns === undefined ? parquet.columns : parquet.columns.filter((c) => options.columns!.includes(c));
      break;
    case 'webdataset':
      await checkTar(path, compression);
      break;
    case 'jsonl':
    case 'urls':
    case 'folder':
      break;
    default: {
      const never: never = format;
      throw new ScanError('INPUT_FORMAT_UNKNOWN', `unknown format ${String(never)}`, { path });
    }
  }
  let closed = false;
  const projection = format === 'parquet' && options.columns !== undefined ? columns : undefined;

  async function* batches(batchOptions?: BatchOptions): AsyncGenerator<InputBatch> {
    if (closed) throw new ScanError('INPUT_UNREADABLE', `${path} was closed`, { path });
    const { skip, batchBytes } = normalise(batchOptions);
    const progress = newProgress();
    const ctx: ReadContext = {
      path,
      compression,
      collector: new BatchCollector(skip, batchBytes, () => progress.diskBytesRead),
      progress,
      signal: batchOptions?.signal,
      closed: () => closed,
    };
    ctx.signal?.throwIfAborted();
    switch (format) {
      case 'jsonl':
        yield* lineBatches(ctx, 'json');
        return;
      case 'urls':
        yield* lineBatches(ctx, 'url');
        return;
      case 'csv':
        yield* csvBatches(ctx, columns ?? []);
        return;
      case 'parquet':
        yield* parquetBatches(ctx, parquet!, projection);
        return;
      case 'webdataset':
        yield* tarBatches(ctx);
        return;
      case 'folder':
        yield* folderBatches(ctx);
        return;
      default: {
        const never: never = format;
        throw new ScanError('INPUT_FORMAT_UNKNOWN', `unknown format ${String(never)}`, { path });
      }
    }
  }

  const source: InputSource = {
    format,
    path,
    compression,
    diskBytes,
    ...(columns === undefined ? {} : { columns }),
    batches,
    close: () => {
      closed = true;
      return Promise.resolve();
    },
  };
  return source;
}
