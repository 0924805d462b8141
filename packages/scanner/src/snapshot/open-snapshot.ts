import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createNoteVerifier, openNote, parseVerifierKey } from '@heoga/core';
import { z } from 'zod';
import { ScanError } from '../errors.js';
import {
  align8,
  noteTextFor,
  SECTION_NAMES,
  SNAPSHOT_FORMAT,
  SNAPSHOT_MAGIC,
  type SectionName,
  type SnapshotManifest,
} from './snapshot-format.js';

const MAX_MANIFEST_BYTES = 1 << 20;
const MAX_NOTE_BYTES = 1 << 16;

const count = z.number().int().nonnegative();
const manifestSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  createdAt: z.string(),
  registry: z.object({ name: z.string(), url: z.string().optional() }),
  key: z.string(),
  counts: z.object({
    works: count,
    disputedWorks: count,
    exactKeys: count,
    minhashSignatures: count,
    lshKeys: count,
    winnowSets: count,
    winnowFingerprints: count,
    containmentKeys: count,
    pdqHashes: count,
    audioFingerprints: count,
    videoFingerprints: count,
    skippedFingerprints: count,
  }),
  params: z.object({
    lshBands: count,
    lshRows: count,
    containmentSample: count,
    pdqMaxDistance: count,
  }),
  sections: z.array(
    z.object({
      name: z.enum(SECTION_NAMES),
      offset: count,
      length: count,
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      residence: z.enum(['memory', 'disk']),
    }),
  ),
});

/**
 * A verified snapshot, loaded: its memory sections in one shared buffer that every worker thread can view without a
 * copy, and where its disk sections are in the file. Structured-clone safe: `postMessage` it to a worker as is.
 */
export interface LoadedSnapshot {
  /** SHA-256 (hex) of the manifest: the snapshot's identity, cited by scan reports and shards. */
  readonly id: string;
  readonly path: string;
  readonly manifest: SnapshotManifest;
  /** The verifier key's name and id, as the note signature named them. */
  readonly keyName: string;
  readonly shared: SharedArrayBuffer;
  /** Memory sections: where each is in `shared` (byte offset, length). */
  readonly memory: Readonly<Partial<Record<SectionName, readonly [number, number]>>>;
  /** Disk sections: where each is in the file (byte offset, length). */
  readonly disk: Readonly<Partial<Record<SectionName, readonly [number, number]>>>;
  /** The file's size when it was verified: a later change of size is a changed file. */
  readonly fileBytes: number;
}

/** Options of `openSnapshot`. */
export interface OpenSnapshotOptions {
  /** The verifier key the snapshot must be signed with (C2SP note form); without it, its own key is checked only. */
  readonly trustedKey?: string;
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const got = readSync(fd, buffer, done, length - done, position + done);
    if (got === 0) break;
    done += got;
  }
  if (done < length) throw new ScanError('SNAPSHOT_INVALID', 'the snapshot is truncated');
  return buffer;
}

/**
 * Opens and verifies an index snapshot: the magic and manifest, the signed note over the manifest's SHA-256 (and,
 * with `trustedKey`, that the signer is that key), and the SHA-256 of every section. Memory sections are read into one
 * `SharedArrayBuffer`; disk sections are hashed in passing and read later on demand. A million-work snapshot loads
 * in seconds: the cost is reading and hashing the file once.
 *
 * @throws {ScanError} `INPUT_UNREADABLE` (cannot be read), `SNAPSHOT_INVALID` (not a snapshot, or malformed),
 *   `SNAPSHOT_TAMPERED` (a checksum or the signature does not verify), `SNAPSHOT_UNTRUSTED` (signed by another key).
 * @example
 * ```ts
 * const snapshot = openSnapshot('index.heoga', { trustedKey: 'heoga.example/log+1a2b3c4d+AbC…' });
 * snapshot.manifest.counts.works
 * ```
 */
export function openSnapshot(path: string, options: OpenSnapshotOptions = {}): LoadedSnapshot {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new ScanError(
      'INPUT_UNREADABLE',
      `cannot open the snapshot ${path}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { path, cause },
    );
  }
  try {
    return load(fd, path, options);
  } catch (error) {
    if (error instanceof ScanError)
      throw new ScanError(error.code, `${path}: ${error.message}`, { path, cause: error });
    throw new ScanError('SNAPSHOT_INVALID', `${path}: ${(error as Error).message}`, { path, cause: error });
  } finally {
    closeSync(fd);
  }
}

function load(fd: number, path: string, options: OpenSnapshotOptions): LoadedSnapshot {
  const fileBytes = fstatSync(fd).size;
  if (fileBytes < 16) throw new ScanError('SNAPSHOT_INVALID', 'not a heoga index snapshot (too short)');
  const head = readExactly(fd, 12, 0);
  if (head.toString('latin1', 0, 8) !== SNAPSHOT_MAGIC)
    throw new ScanError('SNAPSHOT_INVALID', 'not a heoga index snapshot (no HEOGAIX1 magic)');
  const manifestLength = head.readUInt32LE(8);
  if (manifestLength > MAX_MANIFEST_BYTES || 16 + manifestLength > fileBytes)
    throw new ScanError('SNAPSHOT_INVALID', `manifest of ${manifestLength} bytes does not fit`);
  const manifestBytes = readExactly(fd, manifestLength, 12);
  const noteLength = readExactly(fd, 4, 12 + manifestLength).readUInt32LE(0);
  if (noteLength > MAX_NOTE_BYTES || 16 + manifestLength + noteLength > fileBytes)
    throw new ScanError('SNAPSHOT_INVALID', `signature note of ${noteLength} bytes does not fit`);
  const noteBytes = readExactly(fd, noteLength, 16 + manifestLength);
  const dataStart = align8(16 + manifestLength + noteLength);

  const id = createHash('sha256').update(manifestBytes).digest('hex');
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw new ScanError('SNAPSHOT_TAMPERED', 'the manifest is not JSON: the file was changed');
  }
  const parsed = manifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    const formatField = (manifestJson as { format?: unknown } | null)?.format;
    if (typeof formatField === 'string' && formatField !== SNAPSHOT_FORMAT)
      throw new ScanError('SNAPSHOT_INVALID', `format ${formatField}: this scanner reads ${SNAPSHOT_FORMAT}`);
    throw new ScanError('SNAPSHOT_TAMPERED', 'the manifest is malformed: the file was changed');
  }
  const manifest = parsed.data as SnapshotManifest;

  const key = parseVerifierKey(manifest.key);
  if (!key.ok) throw new ScanError('SNAPSHOT_TAMPERED', 'the manifest names no valid verifier key');
  if (options.trustedKey !== undefined && options.trustedKey.trim() !== manifest.key)
    throw new ScanError(
      'SNAPSHOT_UNTRUSTED',
      `signed by ${manifest.key}, not by the trusted key ${options.trustedKey.trim()}`,
    );
  const opened = openNote(noteBytes, [createNoteVerifier(key.value)]);
  if (!opened.ok || opened.value.text !== noteTextFor(id))
    throw new ScanError('SNAPSHOT_TAMPERED', 'the signature does not verify: the manifest was changed after signing');

  // Sections: within the file, aligned, in order, not overlapping; then every byte hashed.
  let memoryTotal = 0;
  let end = 0;
  const seen = new Set<string>();
  for (const s of manifest.sections) {
    if (seen.has(s.name)) throw new ScanError('SNAPSHOT_INVALID', `section ${s.name} is listed twice`);
    seen.add(s.name);
    if (s.offset % 8 !== 0 || s.offset < end || dataStart + s.offset + s.length > fileBytes)
      throw new ScanError('SNAPSHOT_TAMPERED', `section ${s.name} lies outside the file: the file was truncated`);
    end = s.offset + s.length;
    if (s.residence === 'memory') memoryTotal += align8(s.length);
  }
  // The file ends where its last section's padding ends: trailing bytes or a cut in the padding are a changed file.
  if (fileBytes !== dataStart + align8(end))
    throw new ScanError(
      'SNAPSHOT_TAMPERED',
      `the file is ${fileBytes} bytes, not the ${dataStart + align8(end)} it says`,
    );
  const shared = new SharedArrayBuffer(memoryTotal);
  const memory: Partial<Record<SectionName, readonly [number, number]>> = {};
  const disk: Partial<Record<SectionName, readonly [number, number]>> = {};
  let at = 0;
  const chunk = Buffer.allocUnsafe(1 << 22);
  for (const s of manifest.sections) {
    const hash = createHash('sha256');
    if (s.residence === 'memory') {
      const view = new Uint8Array(shared, at, s.length);
      let done = 0;
      while (done < s.length) {
        const got = readSync(fd, view, done, s.length - done, dataStart + s.offset + done);
        if (got === 0) throw new ScanError('SNAPSHOT_TAMPERED', `section ${s.name} is truncated`);
        done += got;
      }
      hash.update(view);
      memory[s.name] = [at, s.length];
      at += align8(s.length);
    } else {
      let done = 0;
      while (done < s.length) {
        const got = readSync(fd, chunk, 0, Math.min(chunk.length, s.length - done), dataStart + s.offset + done);
        if (got === 0) throw new ScanError('SNAPSHOT_TAMPERED', `section ${s.name} is truncated`);
        hash.update(chunk.subarray(0, got));
        done += got;
      }
      disk[s.name] = [dataStart + s.offset, s.length];
    }
    if (hash.digest('hex') !== s.sha256)
      throw new ScanError('SNAPSHOT_TAMPERED', `section ${s.name} does not match its checksum: the file was changed`);
  }
  return { id, path, manifest, keyName: key.value.name, shared, memory, disk, fileBytes };
}
