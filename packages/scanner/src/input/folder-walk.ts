/**
 * Walking a dataset folder in a deterministic order: every regular file under it, sorted by relative path (POSIX
 * separators, compared by UTF-16 code unit, the same on every platform). Symbolic links are not followed and not
 * listed (a link could leave the folder or loop); sockets, FIFOs and devices are skipped; hidden entries (a name
 * starting with `.`, such as `.git` or `.DS_Store`) are skipped with everything under them.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from './limits.js';

/** A file found by the walk, or a directory that could not be listed. */
export type WalkItem =
  | { readonly kind: 'file'; readonly path: string; readonly absolute: string }
  | { readonly kind: 'unlistable'; readonly path: string; readonly reason: string };

/**
 * Yields the files under `root` in sorted relative-path order. Each directory's entries are sorted by name, with
 * `/` appended to directory names, which gives exactly the order of the full relative paths.
 *
 * @example
 * ```ts
 * for await (const item of walkFolder('photos')) if (item.kind === 'file') console.log(item.path); // 'a/x.jpg' …
 * ```
 */
export async function* walkFolder(root: string, relative = ''): AsyncGenerator<WalkItem> {
  let entries;
  try {
    entries = await readdir(relative === '' ? root : join(root, relative), { withFileTypes: true });
  } catch (e) {
    if (relative === '') throw e;
    yield { kind: 'unlistable', path: `${relative}/`, reason: `cannot list the folder: ${errorMessage(e)}` };
    return;
  }
  const listed = entries
    .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isDirectory()))
    .map((e) => ({ name: e.name, dir: e.isDirectory(), key: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const entry of listed) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.dir) yield* walkFolder(root, path);
    else yield { kind: 'file', path, absolute: join(root, path) };
  }
}

/**
 * The total size of the files {@link walkFolder} lists (for a scan's ETA).
 *
 * @example
 * ```ts
 * await folderBytes('photos') // 123456789
 * ```
 */
export async function folderBytes(root: string): Promise<number> {
  let total = 0;
  for await (const item of walkFolder(root)) {
    if (item.kind !== 'file') continue;
    try {
      total += (await lstat(item.absolute)).size;
    } catch {
      // Unreadable files become bad records when read; they add nothing here.
    }
  }
  return total;
}
