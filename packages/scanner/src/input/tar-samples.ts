/**
 * Reading a WebDataset tar (optionally gzip or zstd compressed) as samples: consecutive members sharing a key form
 * one sample. WebDataset convention: the key is the member path up to the first `.` of its base name, the extension
 * the rest, lowercased (`shard/000123.seg.png` → key `shard/000123`, extension `seg.png`). Directories, links and
 * other non-file members are skipped, and so are hidden members (base name starting with `.`, such as macOS `._x`
 * resource forks). A member whose extension the current sample already has starts a new sample with the same key.
 */
import { extract as tarExtract, type Header } from 'tar-stream';
import { ScanError } from '../errors.js';
import type { Compression } from '../types.js';
import { decodedChunks, type ReadProgress } from './decoded-chunks.js';
import { MAX_FILE_BYTES, errorMessage, formatBytes } from './limits.js';

/** One member of a sample, with its header as read (for writing it back unchanged). */
export interface TarMember {
  readonly name: string;
  readonly ext: string;
  readonly header: Header;
  readonly data: Uint8Array;
}

/** What the tar reader yields: a sample, or a bad one (too large, or cut by a truncated archive). */
export type TarUnit =
  | { readonly kind: 'sample'; readonly key: string; readonly members: readonly TarMember[]; readonly size: number }
  | { readonly kind: 'bad'; readonly key: string | undefined; readonly reason: string; readonly next: number };

/** A yielded unit with the input offset after it (tar bytes consumed, uncompressed). */
export type TarUnitAt = TarUnit & { readonly next: number };

/**
 * Splits a member path into its WebDataset key and extension; `undefined` for a hidden member.
 *
 * @example
 * ```ts
 * splitMemberName('shard/000123.Seg.PNG') // { key: 'shard/000123', ext: 'seg.png' }
 * ```
 */
export function splitMemberName(name: string): { key: string; ext: string } | undefined {
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  if (base.startsWith('.')) return undefined;
  const dot = base.indexOf('.');
  if (dot === -1) return { key: name, ext: '' };
  return { key: name.slice(0, slash + 1 + dot), ext: base.slice(dot + 1).toLowerCase() };
}

/** Reads an octal header field (NUL- or space-terminated) as tar writes it; NaN when it is not octal. */
function octal(block: Uint8Array, at: number, length: number): number {
  let i = at;
  const end = at + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const b = block[i]!;
    if (b === 0x20 || b === 0) break;
    if (b < 0x30 || b > 0x37) return Number.NaN;
    value = value * 8 + (b - 0x30);
    digits++;
  }
  return digits === 0 ? Number.NaN : value;
}

/**
 * True when `block` (the first 512 bytes of an archive) is a tar header with a valid checksum, or all zeros (an
 * empty archive's end marker). POSIX.1-1988 §10.1.1: the checksum is the sum of the header's bytes with the
 * checksum field read as spaces.
 *
 * @example
 * ```ts
 * isTarHeaderBlock(new Uint8Array(512)) // true (end of an empty archive)
 * ```
 */
export function isTarHeaderBlock(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  let sum = 0;
  let zero = true;
  for (let i = 0; i < 512; i++) {
    const b = block[i]!;
    if (b !== 0) zero = false;
    sum += i >= 148 && i < 156 ? 0x20 : b;
  }
  return zero || octal(block, 148, 8) === sum;
}

interface Pending {
  key: string;
  members: TarMember[];
  exts: Set<string>;
  size: number;
  tooLarge: boolean;
}

const waitDrain = (stream: { once(event: string, fn: () => void): unknown }): Promise<void> =>
  new Promise((resolve) => {
    stream.once('drain', resolve);
    stream.once('close', resolve);
  });

/**
 * Yields the samples of a WebDataset tar in archive order. Not a tar (the first header is invalid) throws
 * {@link ScanError} `INPUT_UNREADABLE`; a truncated or corrupt archive yields its complete samples, then one `bad`
 * unit with the key of the sample it cut (or none), then ends.
 *
 * @example
 * ```ts
 * for await (const unit of readTarSamples('shard-000.tar', 'none', newProgress())) if (unit.kind === 'sample') …
 * ```
 */
export async function* readTarSamples(
  path: string,
  compression: Compression,
  progress: ReadProgress,
): AsyncGenerator<TarUnitAt> {
  // Old (pre-POSIX) tars have neither the ustar nor the GNU magic; their checksums are still checked.
  const extract = tarExtract({ allowUnknownFormat: true } as Parameters<typeof tarExtract>[0]);
  const chunks = decodedChunks(path, compression, progress);
  let fed = 0;
  let feedError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of chunks) {
        if (extract.destroyed) break;
        fed += chunk.length;
        if (!extract.write(chunk)) await waitDrain(extract);
      }
      if (!extract.destroyed) extract.end(undefined);
    } catch (e) {
      feedError = e;
      extract.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();

  let entries = 0;
  let pending: Pending | undefined;
  let consumed = 0;
  const done = (p: Pending): TarUnitAt =>
    p.tooLarge
      ? { kind: 'bad', key: p.key, reason: `sample larger than ${formatBytes(MAX_FILE_BYTES)}`, next: consumed }
      : { kind: 'sample', key: p.key, members: p.members, size: p.size, next: consumed };
  try {
    try {
      for await (const entry of extract) {
        entries++;
        const header = entry.header;
        const split =
          header.type === 'file' || header.type === 'contiguous-file' ? splitMemberName(header.name) : undefined;
        if (split === undefined) {
          for await (const _ of entry) void _;
          continue;
        }
        if (pending !== undefined && (pending.key !== split.key || pending.exts.has(split.ext))) {
          const unit = done(pending);
          pending = undefined;
          yield unit;
        }
        pending ??= { key: split.key, members: [], exts: new Set(), size: 0, tooLarge: false };
        pending.exts.add(split.ext);
        pending.size += header.size;
        if (pending.size > MAX_FILE_BYTES) pending.tooLarge = true;
        const parts: Uint8Array[] = [];
        let length = 0;
        for await (const part of entry as AsyncIterable<Uint8Array>) {
          if (pending.tooLarge) continue;
          parts.push(part);
          length += part.length;
        }
        // Offset after this member's data, padded to 512 bytes (the header is 512 more; pax headers are not counted).
        consumed = Math.min(fed, consumed + 512 + Math.ceil(header.size / 512) * 512);
        if (pending.tooLarge) continue;
        // A copy of its own: small Buffers share a pool, which a transfer to a worker would take with it.
        const data = new Uint8Array(length);
        let at = 0;
        for (const part of parts) {
          data.set(part, at);
          at += part.length;
        }
        pending.members.push({ name: header.name, ext: split.ext, header, data });
      }
    } catch (e) {
      if (feedError instanceof ScanError) throw feedError;
      if (entries === 0 && progress.failure === undefined) {
        throw new ScanError('INPUT_UNREADABLE', `${path} is not a tar archive (${errorMessage(e)})`, {
          path,
          cause: e,
        });
      }
      const reason = progress.failure ?? `tar archive truncated or corrupt (${errorMessage(e)})`;
      yield { kind: 'bad', key: pending?.key, reason, next: fed };
      return;
    }
    if (feedError instanceof ScanError) throw feedError;
    if (progress.failure !== undefined) {
      yield { kind: 'bad', key: pending?.key, reason: progress.failure, next: fed };
      return;
    }
    if (pending !== undefined) {
      consumed = fed;
      yield done(pending);
    }
  } finally {
    extract.destroy();
    await feeding;
  }
}
