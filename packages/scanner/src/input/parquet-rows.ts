/**
 * Reading a Parquet file row group by row group with hyparquet, so memory holds one decoded row group at a time
 * (whatever the file's size). Binary columns stay `Uint8Array` (`utf8: false`: only columns annotated as strings
 * become strings), INT64 values are `bigint`.
 */
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { ScanError } from '../errors.js';
import { errorMessage } from './limits.js';

/** An opened Parquet file: its footer, and the names of its top-level columns. */
export interface ParquetFile {
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly columns: readonly string[];
}

/**
 * Opens a Parquet file and reads its footer; a missing file or an unreadable footer throws {@link ScanError}
 * `INPUT_UNREADABLE`.
 *
 * @example
 * ```ts
 * const { metadata, columns } = await openParquet('train-00000.parquet');
 * ```
 */
export async function openParquet(path: string): Promise<ParquetFile> {
  let file: AsyncBuffer;
  try {
    file = await asyncBufferFromFile(path);
  } catch (e) {
    throw new ScanError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`, { path, cause: e });
  }
  try {
    const metadata = await parquetMetadataAsync(file);
    const columns = parquetSchema(metadata).children.map((child) => child.element.name);
    return { file, metadata, columns };
  } catch (e) {
    throw new ScanError('INPUT_UNREADABLE', `${path} is not a readable Parquet file (${errorMessage(e)})`, {
      path,
      cause: e,
    });
  }
}

/** The rows of one row group from `start` on, or why the group cannot be read (then `rows` is undefined). */
export interface ParquetGroupRows {
  /** Index (in the file) of the group's first row. */
  readonly groupStart: number;
  /** Index of the first row returned. */
  readonly start: number;
  /** Index after the group's last row. */
  readonly end: number;
  readonly rows: Record<string, unknown>[] | undefined;
  readonly error?: string;
}

/**
 * Yields the row groups of an opened file from row `skip` on (groups before it are not read).
 *
 * @example
 * ```ts
 * for await (const group of parquetGroups(await openParquet('x.parquet'), 0)) console.log(group.rows?.length);
 * ```
 */
export async function* parquetGroups(
  parquet: ParquetFile,
  skip: number,
  columns?: readonly string[],
): AsyncGenerator<ParquetGroupRows> {
  let groupStart = 0;
  for (const group of parquet.metadata.row_groups) {
    const count = Number(group.num_rows);
    const end = groupStart + count;
    if (end > skip && count > 0) {
      const start = Math.max(skip, groupStart);
      try {
        const rows = (await parquetReadObjects({
          file: parquet.file,
          metadata: parquet.metadata,
          rowStart: start,
          rowEnd: end,
          utf8: false,
          ...(columns === undefined ? {} : { columns: [...columns] }),
        })) as Record<string, unknown>[];
        if (rows.length !== end - start) throw new Error(`read ${rows.length} rows, the footer says ${end - start}`);
        yield { groupStart, start, end, rows };
      } catch (e) {
        yield { groupStart, start, end, rows: undefined, error: errorMessage(e) };
      }
    }
    groupStart = end;
  }
}

/**
 * About how many bytes a decoded value takes (strings and bytes by length, nested values to a few levels), for
 * batch sizing only.
 *
 * @example
 * ```ts
 * approxSize({ text: 'abc', image: new Uint8Array(10) }) // 13 + a little
 * ```
 */
export function approxSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value === null || typeof value !== 'object' || depth > 3) return 8;
  let total = 8;
  if (Array.isArray(value)) for (const v of value as unknown[]) total += approxSize(v, depth + 1);
  else for (const v of Object.values(value)) total += approxSize(v, depth + 1);
  return total;
}
