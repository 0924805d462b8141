import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import {
  DEFAULT_LSH_BANDING,
  formatNote,
  parseTextFingerprint,
  PDQ_MATCH_THRESHOLD,
  signNote,
  type MatchWork,
  type NoteSigner,
  type Stance,
} from '@heoga/core';
import { ScanError } from '../errors.js';
import { KeyColumns, KeyTable } from './key-table.js';
import { bandKeys, hexKey, identifierKey } from './keys.js';
import { MediaSections } from './media-sections.js';
import {
  align8,
  CONTAINMENT_SAMPLE,
  EXACT_METHODS,
  MAX_WORKS,
  noteTextFor,
  SNAPSHOT_FORMAT,
  SNAPSHOT_MAGIC,
  type ExactMethod,
  type SectionEntry,
  type SectionName,
  type SnapshotManifest,
} from './snapshot-format.js';

/**
 * One registered work as the snapshot writer takes it: core's `MatchWork`, which the registry's
 * `registry.matchData.works()` yields (the bench builds a million of them without a database).
 */
export type SnapshotWork = MatchWork;

/** How to sign and label a snapshot. */
export interface SnapshotWriteOptions {
  /** The registry's signing key (the transparency log's). */
  readonly signer: NoteSigner;
  /** Its verifier key, in C2SP note form. */
  readonly verifierKey: string;
  readonly registry: { readonly name: string; readonly url?: string };
  readonly now?: () => Date;
  /** Called every 1,000 works with the number written so far. */
  readonly onProgress?: (works: number) => void;
}

/** What `writeSnapshot` wrote. */
export interface WrittenSnapshot {
  readonly id: string;
  readonly path: string;
  readonly bytes: number;
  readonly manifest: SnapshotManifest;
}

/** A section written to a temporary file as it grows (for the bulky, disk-resident ones), hashed on the way. */
class Spool {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  length = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  write(bytes: Uint8Array): void {
    if (this.used + bytes.length > this.buffer.length) this.flush();
    if (bytes.length > this.buffer.length) {
      this.hash.update(bytes);
      writeSync(this.fd, bytes);
    } else {
      this.buffer.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.length += bytes.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    this.hash.update(chunk);
    writeSync(this.fd, chunk);
    this.used = 0;
  }

  finish(): string {
    this.flush();
    closeSync(this.fd);
    return this.hash.digest('hex');
  }
}

/** A growable u32 column. */
class U32Column {
  data = new Uint32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value >>> 0;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer, 0, this.length * 4);
  }
}

/** A growable Float64 column (offsets beyond 4 GiB). */
class F64Column {
  data = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer, 0, this.length * 8);
  }
}

const METHOD_CODE: Readonly<Record<ExactMethod, number>> = Object.fromEntries(
  EXACT_METHODS.map((m, i) => [m, i]),
) as Record<ExactMethod, number>;

/**
 * Writes a signed index snapshot (`heoga-index/1`, see snapshot-format.ts) of the given works to `path`: exact keys,
 * MinHash LSH buckets, winnowing fingerprints with their containment index, PDQ, audio and video indexes, each entry
 * pointing at its work, and each work at its registry statements. Streams: the bulky sections go to temporary
 * files beside `path`, and the finished file replaces `path` only once complete and flushed to disk.
 *
 * @example
 * ```ts
 * const snapshot = await writeSnapshot(registry.matchData.works(actor), 'index.heoga', {
 *   signer: log.signer, verifierKey: log.verifierKey, registry: { name: 'heoga' },
 * });
 * snapshot.id // the manifest's SHA-256: what a scan report cites
 * ```
 */
export async function writeSnapshot(
  works: AsyncIterable<SnapshotWork> | Iterable<SnapshotWork>,
  path: string,
  options: SnapshotWriteOptions,
): Promise<WrittenSnapshot> {
  const dir = dirname(path);
  const stem = join(dir, `.${basename(path)}.${process.pid}`);
  const spools = {
    works: new Spool(`${stem}.works`),
    minhash: new Spool(`${stem}.minhash`),
    winnow: new Spool(`${stem}.winnow`),
  };
  const temporary = [...Object.values(spools).map((s) => s.path), `${stem}.tmp`];
  try {
    return await writeAll(works, path, options, spools, `${stem}.tmp`);
  } catch (error) {
    if (error instanceof ScanError) throw error;
    throw new ScanError('OUTPUT_UNWRITABLE', `cannot write the snapshot ${path}: ${(error as Error).message}`, {
      path,
      cause: error,
    });
  } finally {
    for (const file of temporary) rmSync(file, { force: true });
  }
}

async function writeAll(
  works: AsyncIterable<SnapshotWork> | Iterable<SnapshotWork>,
  path: string,
  options: SnapshotWriteOptions,
  spools: { works: Spool; minhash: Spool; winnow: Spool },
  temporaryPath: string,
): Promise<WrittenSnapshot> {
  const workOffsets = new F64Column();
  const indexOf = new Map<string, number>();
  const disputePairs: [number, string][] = [];
  const policySets = new Map<string, number>();
  const exact = new KeyColumns();
  const lsh = new KeyColumns();
  const containment = new KeyColumns();
  const minhashWorks = new U32Column();
  const winnowWorks = new U32Column();
  const winnowOffsets = new F64Column();
  const media = new MediaSections();
  let winnowTotal = 0;
  let skipped = 0;
  let disputedWorks = 0;
  const encoder = new TextEncoder();

  let n = 0;
  for await (const work of works) {
    if (n >= MAX_WORKS) throw new ScanError('OUTPUT_UNWRITABLE', `a snapshot holds at most ${MAX_WORKS} works`);
    if (indexOf.has(work.id)) throw new ScanError('OUTPUT_UNWRITABLE', `work ${work.id} is given twice`);
    const index = n++;
    indexOf.set(work.id, index);
    if (work.disputed) disputedWorks++;
    for (const other of work.disputedWith) disputePairs.push([index, other]);

    // Policy sets are shared: a catalog import gives thousands of works the same stances at the same time.
    const tuples = work.statements.flatMap((s) =>
      s.kind === 'preference'
        ? s.uses.map((u): [string, Stance, string | null] => [u, s.stance, s.observedAt ?? null])
        : [],
    );
    const policyKey = JSON.stringify(tuples);
    let policy = policySets.get(policyKey);
    if (policy === undefined) policySets.set(policyKey, (policy = policySets.size));

    const title = work.titles[0];
    const record = {
      id: work.id,
      k: work.kind,
      ...(title === undefined ? {} : { t: [title.lang, title.title] }),
      h: work.holders.map((h) => [h.id, h.name, h.role, h.shareBp]),
      p: policy,
      d: work.disputed,
    };
    workOffsets.push(spools.works.length);
    spools.works.write(encoder.encode(`${JSON.stringify(record)}\n`));

    const exactKey = (key: [number, number] | undefined, method: ExactMethod) => {
      if (key !== undefined) exact.push(key[0], key[1], ((METHOD_CODE[method] << 28) | index) >>> 0);
    };
    exactKey(identifierKey('work', work.id), 'work');
    for (const identifier of work.identifiers) {
      const method: ExactMethod =
        identifier.scheme === 'url' ? 'url' : identifier.scheme === 'url-prefix' ? 'url-prefix' : 'identifier';
      exactKey(identifierKey(identifier.scheme, identifier.value), method);
    }
    const fileHashes = new Set<string>();
    for (const fp of work.fingerprints) {
      if (fp.fileSha256 !== null && !fileHashes.has(fp.fileSha256)) {
        fileHashes.add(fp.fileSha256);
        exactKey(hexKey(fp.fileSha256), 'sha256');
      }
      if (fp.algorithm === 'sha256') {
        if (!fileHashes.has(fp.value)) {
          fileHashes.add(fp.value);
          const key = hexKey(fp.value);
          if (key === undefined) skipped++;
          exactKey(key, 'sha256');
        }
        continue;
      }
      if (fp.algorithm === 'sha256-text-nfkc/1') {
        const key = hexKey(fp.value);
        if (key === undefined) skipped++;
        exactKey(key, 'text-sha256');
        continue;
      }
      if (fp.algorithm === 'minhash-oph-c5-128/1' || fp.algorithm === 'winnow-c13-w16/1') {
        const parsed = parseTextFingerprint(fp.algorithm, fp.value);
        if (!parsed.ok) {
          skipped++;
          continue;
        }
        const value = parsed.value;
        if (value.algorithm === 'minhash-oph-c5-128/1') {
          const entry = minhashWorks.length;
          minhashWorks.push(index);
          spools.minhash.write(new Uint8Array(value.signature.buffer, value.signature.byteOffset, 512));
          const keys = bandKeys(value.signature);
          for (let b = 0; b < keys.length; b += 2) lsh.push(keys[b]!, keys[b + 1]!, entry);
        } else if (value.algorithm === 'winnow-c13-w16/1') {
          const { positions, hashHigh, hashLow } = value.fingerprints;
          const entry = winnowWorks.length;
          winnowWorks.push(index);
          winnowOffsets.push(winnowTotal);
          winnowTotal += positions.length;
          for (const column of [positions, hashHigh, hashLow])
            spools.winnow.write(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
          for (let i = 0; i < positions.length; i++)
            if (hashLow[i]! % CONTAINMENT_SAMPLE === 0) containment.push(hashHigh[i]!, hashLow[i]!, entry);
        }
        continue;
      }
      if (!media.add(fp.algorithm, fp.value, index)) skipped++;
    }
    if (n % 1000 === 0) {
      options.onProgress?.(n);
      // Let other work (a progress bar, a server's requests) run while a large registry is read.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  workOffsets.push(spools.works.length);
  winnowOffsets.push(winnowTotal);

  const disputes = new KeyColumns();
  for (const [index, other] of disputePairs) {
    const otherIndex = indexOf.get(other);
    if (otherIndex !== undefined) disputes.push(index, 0, otherIndex);
  }

  const memory = new Map<SectionName, Uint8Array>([
    ['work-offsets', workOffsets.bytes()],
    ['policies', encoder.encode(`[${[...policySets.keys()].join(',')}]`)],
    ['disputes', KeyTable.build(disputes).toBytes()],
    ['exact', KeyTable.build(exact).toBytes()],
    ['minhash-works', minhashWorks.bytes()],
    ['lsh', KeyTable.build(lsh).toBytes()],
    ['winnow-works', winnowWorks.bytes()],
    ['winnow-offsets', winnowOffsets.bytes()],
    ['containment', KeyTable.build(containment).toBytes()],
    ...media.sections(),
  ]);
  const disk = new Map<SectionName, Spool>([
    ['works', spools.works],
    ['minhash', spools.minhash],
    ['winnow', spools.winnow],
  ]);
  const diskDigests = new Map([...disk].map(([name, spool]) => [name, spool.finish()]));

  const sections: SectionEntry[] = [];
  let offset = 0;
  const order: SectionName[] = [...memory.keys(), ...disk.keys()];
  for (const name of order) {
    const bytes = memory.get(name);
    const length = bytes?.length ?? disk.get(name)!.length;
    sections.push({
      name,
      offset,
      length,
      sha256: bytes ? createHash('sha256').update(bytes).digest('hex') : diskDigests.get(name)!,
      residence: bytes ? 'memory' : 'disk',
    });
    offset = align8(offset + length);
  }
  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    registry: options.registry,
    key: options.verifierKey,
    counts: {
      works: n,
      disputedWorks,
      exactKeys: exact.length,
      minhashSignatures: minhashWorks.length,
      lshKeys: lsh.length,
      winnowSets: winnowWorks.length,
      winnowFingerprints: winnowTotal,
      containmentKeys: containment.length,
      ...media.counts(),
      skippedFingerprints: skipped,
    },
    params: {
      lshBands: DEFAULT_LSH_BANDING.bands,
      lshRows: DEFAULT_LSH_BANDING.rows,
      containmentSample: CONTAINMENT_SAMPLE,
      pdqMaxDistance: PDQ_MATCH_THRESHOLD,
    },
    sections,
  };
  const manifestBytes = encoder.encode(JSON.stringify(manifest));
  const id = createHash('sha256').update(manifestBytes).digest('hex');
  const noteBytes = encoder.encode(formatNote(signNote(noteTextFor(id), [options.signer])));

  const head = Buffer.alloc(align8(8 + 4 + manifestBytes.length + 4 + noteBytes.length));
  head.write(SNAPSHOT_MAGIC, 0, 'latin1');
  head.writeUInt32LE(manifestBytes.length, 8);
  head.set(manifestBytes, 12);
  head.writeUInt32LE(noteBytes.length, 12 + manifestBytes.length);
  head.set(noteBytes, 16 + manifestBytes.length);

  const fd = openSync(temporaryPath, 'w', 0o644);
  let written = 0;
  const put = (bytes: Uint8Array) => {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done);
    written += bytes.length;
  };
  try {
    put(head);
    const zeros = new Uint8Array(8);
    const copy = Buffer.allocUnsafe(1 << 20);
    for (const section of sections) {
      const bytes = memory.get(section.name);
      if (bytes) put(bytes);
      else {
        const from = openSync(disk.get(section.name)!.path, 'r');
        try {
          for (;;) {
            const got = readSync(from, copy, 0, copy.length, null);
            if (got === 0) break;
            put(copy.subarray(0, got));
          }
        } finally {
          closeSync(from);
        }
      }
      const pad = align8(section.length) - section.length;
      if (pad > 0) put(zeros.subarray(0, pad));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporaryPath, path);
  options.onProgress?.(n);
  return { id, path, bytes: written, manifest };
}
