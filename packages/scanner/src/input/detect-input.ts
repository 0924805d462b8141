/**
 * Telling an input's format and compression from its name, checked against its first bytes.
 *
 * Name rules (case-insensitive), after a compression suffix (`.gz`, `.zst`, `.zstd`) is taken off:
 * - a directory → `folder`;
 * - `.jsonl`, `.ndjson`, `.json` → `jsonl` (one JSON value per line; a `.json` holding one big array is not JSON
 *   Lines and reads as unreadable records);
 * - `.csv`, `.tsv` → `csv` (`.tsv`: tab-separated);
 * - `.parquet` → `parquet` (never compressed as a whole: Parquet compresses its pages);
 * - `.tar` (and `.tgz`) → `webdataset`;
 * - `.urls`, or a file named `urls.txt` → `urls`; any other `.txt` is a URL list only with `--format urls`.
 *
 * An explicit `format` wins over the name (the compression still comes from the name). The compression must match
 * the magic bytes (gzip `1f 8b`, zstd `28 b5 2f fd`): a `.gz` that is not gzip, or a plain name over compressed
 * bytes, is `INPUT_UNREADABLE`.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ScanError } from '../errors.js';
import { INPUT_FORMATS, type Compression, type InputFormat } from '../types.js';
import { errorMessage } from './limits.js';

/** What {@link detectInput} found. */
export interface DetectedInput {
  readonly format: InputFormat;
  readonly compression: Compression;
}

const EXTENSION_FORMATS: Readonly<Record<string, InputFormat>> = {
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  json: 'jsonl',
  csv: 'csv',
  tsv: 'csv',
  parquet: 'parquet',
  tar: 'webdataset',
  urls: 'urls',
};

/** Splits a file name into its compression (from the suffix) and the name without it. */
function splitCompression(name: string): { compression: Compression; rest: string } {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tgz')) return { compression: 'gzip', rest: `${name.slice(0, -4)}.tar` };
  if (lower.endsWith('.gz')) return { compression: 'gzip', rest: name.slice(0, -3) };
  if (lower.endsWith('.zst')) return { compression: 'zstd', rest: name.slice(0, -4) };
  if (lower.endsWith('.zstd')) return { compression: 'zstd', rest: name.slice(0, -5) };
  return { compression: 'none', rest: name };
}

/** The format a file name says, or undefined. */
function formatFromName(name: string): InputFormat | undefined {
  const lower = name.toLowerCase();
  if (lower === 'urls.txt') return 'urls';
  const dot = lower.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return EXTENSION_FORMATS[lower.slice(dot + 1)];
}

/** True when a `.tsv` name (after its compression suffix) says the CSV is tab-separated. */
export function isTabSeparated(path: string): boolean {
  return splitCompression(basename(path)).rest.toLowerCase().endsWith('.tsv');
}

/** The compression the first bytes say. */
function compressionFromMagic(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Detects the format and compression of an input file or folder (see the module comment for the rules). A missing
 * or unreadable path, or a compression that does not match the bytes, throws {@link ScanError}
 * `INPUT_UNREADABLE`; a name that says no format, without `format`, throws `INPUT_FORMAT_UNKNOWN`.
 *
 * @example
 * ```ts
 * await detectInput('train.jsonl.zst') // { format: 'jsonl', compression: 'zstd' }
 * await detectInput('list.txt', 'urls') // { format: 'urls', compression: 'none' }
 * ```
 */
export async function detectInput(path: string, format?: InputFormat): Promise<DetectedInput> {
  if (format !== undefined && !(INPUT_FORMATS as readonly string[]).includes(format)) {
    throw new ScanError(
      'INPUT_FORMAT_UNKNOWN',
      `unknown input format "${String(format)}": use one of ${INPUT_FORMATS.join(', ')}`,
      { path },
    );
  }
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new ScanError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`, { path, cause: e });
  }
  if (info.isDirectory()) {
    if (format !== undefined && format !== 'folder') {
      throw new ScanError('INPUT_UNREADABLE', `${path} is a folder, not a ${format} file`, { path });
    }
    return { format: 'folder', compression: 'none' };
  }
  if (!info.isFile()) throw new ScanError('INPUT_UNREADABLE', `${path} is not a regular file`, { path });
  if (format === 'folder') throw new ScanError('INPUT_UNREADABLE', `${path} is a file, not a folder`, { path });

  const { compression: named, rest } = splitCompression(basename(path));
  const detected = format ?? formatFromName(rest);
  if (detected === undefined) {
    throw new ScanError(
      'INPUT_FORMAT_UNKNOWN',
      `cannot tell the format of ${path} from its name: pass --format (${INPUT_FORMATS.join(', ')})`,
      { path },
    );
  }
  let head: Uint8Array;
  try {
    head = await readHead(path, 4);
  } catch (e) {
    throw new ScanError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`, { path, cause: e });
  }
  const actual = compressionFromMagic(head);
  if (detected === 'parquet') {
    if (named !== 'none' || actual !== 'none') {
      throw new ScanError(
        'INPUT_UNREADABLE',
        `${path}: a Parquet file compressed as a whole cannot be read; decompress it first`,
        { path },
      );
    }
    return { format: detected, compression: 'none' };
  }
  if (named !== actual) {
    const says = named === 'none' ? 'no compression' : named;
    const is = actual === 'none' ? 'not compressed (or not a format we know)' : `${actual}-compressed`;
    throw new ScanError(
      'INPUT_UNREADABLE',
      `${path}: its name says ${says}, but its first bytes say it is ${is}; rename it to match its contents`,
      { path },
    );
  }
  return { format: detected, compression: named };
}
