/**
 * Writing the cleared dataset: the input's records whose verdict is cleared, in input order, in the input's format
 * and compression, to `cleared.<ext>` (a folder input: a `cleared/` folder). The output is written under a temporary
 * name in the same folder and renamed when complete, so a crash never leaves a half-written `cleared.*` and a rerun
 * replaces it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, copyFile, link, lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { ParquetWriter, fileWriter, type SchemaElement as WriterSchemaElement } from 'hyparquet-writer';
import { pack as tarPack } from 'tar-stream';
import { ScanError } from '../errors.js';
import type { Compression } from '../types.js';
import { formatCsvRecord } from './csv-parser.js';
import { newProgress } from './decoded-chunks.js';
import { isTabSeparated } from './detect-input.js';
import { walkFolder } from './folder-walk.js';
import { MAX_FILE_BYTES, errorMessage } from './limits.js';
import type { InputSource } from './open-input.js';
import { openParquet, parquetGroups } from './parquet-rows.js';
import { createZstdWriter } from './stored-zstd.js';
import { readTarSamples } from './tar-samples.js';

/** What {@link writeCleared} wrote. */
export interface ClearedOutput {
  /** The file (or folder) written: `outDir/cleared.<ext>`. */
  readonly path: string;
  /** Records written. */
  readonly records: number;
  /** Bytes written (a folder: the sum of its files' sizes). */
  readonly bytes: number;
  /** SHA-256 (hex) of the output file; a folder: of its sorted `relative-path\0sha256-hex\n` lines. */
  readonly sha256: string;
  /** SHA-256 (hex) of the input file on disk; a folder: of its sorted `relative-path\0sha256-hex\n` lines. */
  readonly inputSha256: string;
}

const COMPRESSION_SUFFIX: Readonly<Record<Compression, string>> = { none: '', gzip: '.gz', zstd: '.zst' };
const FLUSH_BYTES = 1 << 20;

/** The output name for a source: `cleared.jsonl.gz`, `cleared.tsv`, `cleared.parquet`, `cleared` (a folder). */
export function clearedName(source: Pick<InputSource, 'format' | 'compression' | 'path'>): string {
  const suffix = COMPRESSION_SUFFIX[source.compression];
  switch (source.format) {
    case 'jsonl':
      return `cleared.jsonl${suffix}`;
    case 'csv':
      return `cleared.${isTabSeparated(source.path) ? 'tsv' : 'csv'}${suffix}`;
    case 'parquet':
      return 'cleared.parquet';
    case 'webdataset':
      return `cleared.tar${suffix}`;
    case 'urls':
      return `cleared.urls${suffix}`;
    case 'folder':
      return 'cleared';
    default: {
      const never: never = source.format;
      return String(never);
    }
  }
}

function compressor(compression: Compression): Transform[] {
  switch (compression) {
    case 'none':
      return [];
    case 'gzip':
      return [createGzip()];
    case 'zstd':
      return [createZstdWriter()];
    default: {
      const never: never = compression;
      throw new Error(`unknown compression ${String(never)}`);
    }
  }
}

/** SHA-256 (hex) of a file's bytes. */
async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/** SHA-256 of a folder's files as `relative-path\0sha256-hex\n` lines in walk order, and their total size. */
async function folderSha256(root: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const item of walkFolder(root)) {
    if (item.kind !== 'file') continue;
    let digest: string;
    try {
      digest = await fileSha256(item.absolute);
      bytes += (await lstat(item.absolute)).size;
    } catch {
      continue; // an unreadable file has no hash: it is left out (and was a bad record)
    }
    hash.update(`${item.path}\0${digest}\n`);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Coalesces small writes into chunks of about 1 MiB. */
async function* coalesce(parts: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let size = 0;
  for await (const part of parts) {
    pending.push(part);
    size += part.length;
    if (size >= FLUSH_BYTES) {
      yield Buffer.concat(pending, size);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending, size);
}

const NEWLINE = Buffer.from('\n');

async function writeStream(parts: AsyncIterable<Buffer>, compression: Compression, tmp: string): Promise<void> {
  await pipeline([Readable.from(coalesce(parts)), ...compressor(compression), createWriteStream(tmp)]);
}

interface Counter {
  records: number;
}

async function* keptLines(
  source: InputSource,
  keep: (index: number) => boolean,
  count: Counter,
): AsyncGenerator<Buffer> {
  for await (const batch of source.batches()) {
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i]!;
      if (!keep(batch.first + i)) continue;
      if (record.t === 'json') {
        count.records++;
        yield Buffer.from(record.bytes.buffer, record.bytes.byteOffset, record.bytes.byteLength);
        yield NEWLINE;
      } else if (record.t === 'url') {
        count.records++;
        yield Buffer.from(`${record.line}\n`);
      }
    }
  }
}

async function* keptCsv(source: InputSource, keep: (index: number) => boolean, count: Counter): AsyncGenerator<Buffer> {
  const delimiter = isTabSeparated(source.path) ? '\t' : ',';
  const columns = source.columns ?? [];
  if (columns.length > 0) yield Buffer.from(formatCsvRecord(columns, delimiter));
  for await (const batch of source.batches()) {
    for (let i = 0; i < batch.records.length; i++) {
      const record = batch.records[i]!;
      if (record.t !== 'csv' || !keep(batch.first + i)) continue;
      count.records++;
      yield Buffer.from(formatCsvRecord(record.fields, delimiter));
    }
  }
}

async function writeTar(
  source: InputSource,
  keep: (index: number) => boolean,
  tmp: string,
  count: Counter,
): Promise<void> {
  const pack = tarPack();
  // streamx streams (tar-stream's) work in Node's pipeline; only their types differ.
  const packed = pack as unknown as NodeJS.ReadableStream;
  const writing = pipeline([packed, ...compressor(source.compression), createWriteStream(tmp)]);
  let failed: unknown;
  writing.catch((e: unknown) => {
    failed = e;
  });
  try {
    let index = 0;
    for await (const unit of readTarSamples(source.path, source.compression, newProgress())) {
      if (failed !== undefined) break;
      const kept = unit.kind === 'sample' && keep(index);
      index++;
      if (!kept) continue;
      count.records++;
      for (const member of unit.members) {
        const h = member.header;
        await new Promise<void>((resolve, reject) => {
          pack.entry(
            {
              name: member.name,
              size: member.data.length,
              mode: h.mode,
              mtime: h.mtime,
              uid: h.uid,
              gid: h.gid,
              uname: h.uname,
              gname: h.gname,
              type: 'file',
            },
            member.data,
            (e) => (e ? reject(e) : resolve()),
          );
        });
      }
    }
    pack.finalize();
  } catch (e) {
    pack.destroy(e instanceof Error ? e : new Error(String(e)));
    await writing.catch(() => undefined);
    throw e;
  }
  await writing;
}

async function writeParquet(
  source: InputSource,
  keep: (index: number) => boolean,
  tmp: string,
  count: Counter,
): Promise<void> {
  const parquet = await openParquet(source.path);
  const writer = new ParquetWriter({
    writer: fileWriter(tmp),
    // hyparquet-writer bundles its own hyparquet, whose schema types are a subset of the reader's.
    schema: parquet.metadata.schema as unknown as WriterSchemaElement[],
    ...(parquet.metadata.key_value_metadata === undefined ? {} : { kvMetadata: parquet.metadata.key_value_metadata }),
  });
  for await (const group of parquetGroups(parquet, 0)) {
    if (group.rows === undefined) continue; // an unreadable row group: its rows were bad records
    const kept = group.rows.filter((_, i) => keep(group.start + i));
    if (kept.length === 0) continue;
    count.records += kept.length;
    await writer.write({
      columnData: parquet.columns.map((name) => ({ name, data: kept.map((row) => row[name]) })),
      rowGroupSize: kept.length,
    });
  }
  await writer.finish();
}

async function writeFolder(
  source: InputSource,
  keep: (index: number) => boolean,
  tmp: string,
  count: Counter,
): Promise<void> {
  await mkdir(tmp, { recursive: true });
  let index = 0;
  for await (const item of walkFolder(source.path)) {
    const i = index++;
    if (item.kind !== 'file' || !keep(i)) continue;
    try {
      const info = await lstat(item.absolute);
      if (!info.isFile() || info.size > MAX_FILE_BYTES) continue; // a bad record: never kept
      await access(item.absolute, constants.R_OK);
    } catch {
      continue; // unreadable: a bad record
    }
    const target = join(tmp, ...item.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    try {
      await link(item.absolute, target);
    } catch {
      await copyFile(item.absolute, target);
    }
    count.records++;
  }
}

const unwritable = (path: string, e: unknown): ScanError =>
  new ScanError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${errorMessage(e)}`, { path, cause: e });

async function inputSha256(source: InputSource): Promise<string> {
  try {
    return source.format === 'folder' ? (await folderSha256(source.path)).sha256 : await fileSha256(source.path);
  } catch (e) {
    throw new ScanError('INPUT_UNREADABLE', `cannot read ${source.path}: ${errorMessage(e)}`, {
      path: source.path,
      cause: e,
    });
  }
}

/**
 * Writes the records `keep` says to keep (by index) to `outDir/cleared.<ext>`, in input order, in the input's format
 * and compression, and returns what it wrote with the SHA-256 of the input. `bad` records are never written.
 *
 * - JSON Lines: each kept line's bytes as read, each ended by `\n`. URL lists: each kept URL (trimmed) and `\n`.
 * - CSV: the header, then the kept records re-serialised, quoted only where needed, ended by `\n`.
 * - Parquet: the same schema and key-value metadata, the kept rows of each row group as one row group, Snappy
 *   compressed (one input row group in memory at a time).
 * - WebDataset: the kept samples' members, same names, order, modes and times.
 * - Folder: `cleared/` with the kept files at the same relative paths, hard-linked to the input where the file
 *   system allows (so they share storage: edit neither), else copied.
 * - zstd output: see `stored-zstd.ts` (stored blocks on Node 20).
 *
 * An output that cannot be written throws {@link ScanError} `OUTPUT_UNWRITABLE`; an input that fails while read
 * throws its own error.
 *
 * @example
 * ```ts
 * const source = await openInput('train.jsonl.gz');
 * const out = await writeCleared(source, (i) => verdicts[i] === 'cleared', 'scan-out');
 * console.log(out.path, out.records); // scan-out/cleared.jsonl.gz 9120
 * ```
 */
export async function writeCleared(
  source: InputSource,
  keep: (index: number) => boolean,
  outDir: string,
): Promise<ClearedOutput> {
  const name = clearedName(source);
  const path = join(outDir, name);
  const tmp = join(outDir, `.${name}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (e) {
    throw unwritable(outDir, e);
  }
  const count: Counter = { records: 0 };
  const hashing = inputSha256(source);
  hashing.catch(() => undefined);
  try {
    switch (source.format) {
      case 'jsonl':
      case 'urls':
        await writeStream(keptLines(source, keep, count), source.compression, tmp);
        break;
      case 'csv':
        await writeStream(keptCsv(source, keep, count), source.compression, tmp);
        break;
      case 'parquet':
        await writeParquet(source, keep, tmp, count);
        break;
      case 'webdataset':
        await writeTar(source, keep, tmp, count);
        break;
      case 'folder':
        await writeFolder(source, keep, tmp, count);
        break;
      default: {
        const never: never = source.format;
        throw new ScanError('INPUT_FORMAT_UNKNOWN', `unknown format ${String(never)}`, { path: source.path });
      }
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (e instanceof ScanError) throw e;
    throw unwritable(path, e);
  }

  let sha256: string;
  let bytes: number;
  try {
    if (source.format === 'folder') {
      ({ sha256, bytes } = await folderSha256(tmp));
      // A folder cannot be renamed over a non-empty one: move the old one aside first.
      const old = `${tmp}.old`;
      const hadOld = await stat(path).then(
        () => true,
        () => false,
      );
      if (hadOld) await rename(path, old);
      await rename(tmp, path);
      if (hadOld) await rm(old, { recursive: true, force: true });
    } else {
      sha256 = await fileSha256(tmp);
      bytes = (await stat(tmp)).size;
      await rename(tmp, path);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw unwritable(path, e);
  }
  return { path, records: count.records, bytes, sha256, inputSha256: await hashing };
}
