/**
 * The bytes of an input file, decompressed, as a stream of chunks. A broken compressed stream (truncated, corrupt)
 * does not throw: the chunks decoded so far are delivered, then the iteration ends and `progress.failure` says why,
 * so a reader can deliver every complete record and one `bad` record for the tail. A file that cannot be read from
 * disk throws {@link ScanError} `INPUT_UNREADABLE`.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { ScanError } from '../errors.js';
import type { Compression } from '../types.js';
import { errorMessage } from './limits.js';

/** What a reader has consumed so far, shared between the chunk source and the reader. */
export interface ReadProgress {
  /** Bytes read from disk so far (compressed bytes for a compressed file). */
  diskBytesRead: number;
  /** Set when the compressed stream ended early or was corrupt: the reason, for the `bad` record of the tail. */
  failure: string | undefined;
}

/** A fresh {@link ReadProgress}. */
export function newProgress(): ReadProgress {
  return { diskBytesRead: 0, failure: undefined };
}

/** How many compressed bytes go to fzstd at once: bounds what one push can expand to (a zstd bomb). */
const ZSTD_PIECE = 16 * 1024;
const READ_CHUNK = 1 << 20;

/** Wraps an error of the file itself (not of the decompressor), so the two can be told apart downstream. */
class DiskReadError extends Error {
  constructor(readonly original: unknown) {
    super(errorMessage(original));
  }
}

const unreadable = (path: string, e: unknown): ScanError =>
  new ScanError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`, { path, cause: e });

/**
 * Yields the decompressed bytes of `path` chunk by chunk (each chunk is a fresh Buffer the caller may keep).
 *
 * @example
 * ```ts
 * const progress = newProgress();
 * for await (const chunk of decodedChunks('data.jsonl.gz', 'gzip', progress)) process(chunk);
 * if (progress.failure) console.warn(progress.failure);
 * ```
 */
export async function* decodedChunks(
  path: string,
  compression: Compression,
  progress: ReadProgress,
  onDiskChunk?: (chunk: Buffer) => void,
): AsyncGenerator<Buffer> {
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  try {
    switch (compression) {
      case 'none':
        try {
          for await (const chunk of file as AsyncIterable<Buffer>) {
            progress.diskBytesRead += chunk.length;
            onDiskChunk?.(chunk);
            yield chunk;
          }
        } catch (e) {
          throw unreadable(path, e);
        }
        return;
      case 'gzip': {
        // Gunzip reads every member of a multi-member file (RFC 1952 §2.2) one after the other.
        const gunzip = createGunzip({ chunkSize: 256 * 1024 });
        file.on('data', (data: Buffer | string) => {
          const chunk = typeof data === 'string' ? Buffer.from(data) : data;
          progress.diskBytesRead += chunk.length;
          onDiskChunk?.(chunk);
        });
        file.on('error', (e) => gunzip.destroy(new DiskReadError(e)));
        file.pipe(gunzip);
        try {
          for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
        } catch (e) {
          if (e instanceof DiskReadError) throw unreadable(path, e.original);
          progress.failure = `gzip stream truncated or corrupt (${errorMessage(e)})`;
        } finally {
          gunzip.destroy();
        }
        return;
      }
      case 'zstd': {
        const out: Uint8Array[] = [];
        const decompress = new Decompress((data) => {
          if (data.length > 0) out.push(data);
        });
        const flush = function* (): Generator<Buffer> {
          for (const data of out) yield Buffer.from(data.buffer, data.byteOffset, data.byteLength);
          out.length = 0;
        };
        let chunks: AsyncIterator<Buffer>;
        try {
          chunks = (file as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
        } catch (e) {
          throw unreadable(path, e);
        }
        for (;;) {
          let next: IteratorResult<Buffer>;
          try {
            next = await chunks.next();
          } catch (e) {
            throw unreadable(path, e);
          }
          try {
            if (next.done === true) {
              decompress.push(new Uint8Array(0), true);
              yield* flush();
              return;
            }
            const chunk = next.value;
            progress.diskBytesRead += chunk.length;
            onDiskChunk?.(chunk);
            for (let at = 0; at < chunk.length; at += ZSTD_PIECE) {
              decompress.push(chunk.subarray(at, at + ZSTD_PIECE));
              yield* flush();
            }
          } catch (e) {
            if (e instanceof ScanError) throw e;
            yield* flush();
            progress.failure = `zstd stream truncated or corrupt (${errorMessage(e)})`;
            return;
          }
        }
      }
      default: {
        const never: never = compression;
        throw new ScanError('INPUT_UNREADABLE', `unknown compression ${String(never)}`, { path });
      }
    }
  } finally {
    file.destroy();
  }
}
