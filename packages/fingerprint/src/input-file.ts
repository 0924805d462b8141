/**
 * The file checks every decoder makes before it starts a tool: the path is a regular, non-empty file within the size
 * limit; and bytes that a tool must seek in (MP4 keeps its index at the end) go to a temporary file first.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FingerprintError } from './errors.js';

/**
 * Checks that `path` is a regular, non-empty file of at most `maxBytes`, and returns its size. Errors:
 * `READ_FAILED` (missing, a directory, no permission), `DECODE_FAILED` (empty), `FILE_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const size = await checkInputFile('film.mkv', VIDEO_DECODE_LIMITS.maxInputBytes);
 * ```
 */
export async function checkInputFile(path: string, maxBytes: number, options: { allowEmpty?: boolean } = {}) {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FingerprintError('READ_FAILED', `${path} is not a regular file`);
    size = info.size;
  } catch (error) {
    if (error instanceof FingerprintError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FingerprintError('READ_FAILED', `cannot read ${path}${code ? ` (${code})` : ''}`, { cause: error });
  }
  if (size === 0 && !options.allowEmpty) throw new FingerprintError('DECODE_FAILED', `${path} is empty`);
  if (size > maxBytes) {
    throw new FingerprintError('FILE_TOO_LARGE', `${path} is ${size} bytes, over the limit of ${maxBytes}`);
  }
  return size;
}

/**
 * Writes `bytes` to a new temporary file, runs `run` with its path, and removes the file whatever happens.
 *
 * @example
 * ```ts
 * const info = await withTempFile(bytes, (path) => probeMedia(path));
 * ```
 */
export async function withTempFile<T>(bytes: Uint8Array, run: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'heoga-fingerprint-'));
  try {
    const path = join(dir, 'input');
    await writeFile(path, bytes);
    return await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
