import { closeSync, openSync, readSync } from 'node:fs';
import type { Stance, Statement, UseScope, WinnowFingerprints } from '@heoga/core';
import { ScanError } from '../errors.js';
import { AudioIndex, PdqIndex, VideoIndex } from '../match/media/index.js';
import type { WorkInfo } from '../types.js';
import { KeyTable } from './key-table.js';
import type { LoadedSnapshot } from './open-snapshot.js';
import { identifierKey } from './keys.js';
import { EXACT_METHODS, type SectionName } from './snapshot-format.js';

const WORK_METHOD = EXACT_METHODS.indexOf('work');

/** A work's record, as the `works` section holds it. */
interface WorkRecord {
  readonly id: string;
  readonly k: string;
  readonly t?: [string, string];
  readonly h: [string, string, string, number][];
  readonly p: number;
  readonly d: boolean;
}

/** A work, read: what reports show, and the statements a verdict weighs. */
export interface SnapshotWorkEntry {
  readonly index: number;
  readonly info: WorkInfo;
  readonly statements: readonly Statement[];
}

/** How many work records a worker keeps parsed. */
const WORK_CACHE = 50_000;

/**
 * A loaded snapshot's indexes, viewed in place over the shared buffer (no copy per worker), with the disk sections
 * read on demand through a file descriptor of its own. One per thread; `close` releases the descriptor.
 *
 * @example
 * ```ts
 * const index = SnapshotIndex.attach(openSnapshot('index.heoga'));
 * index.exact.find(hi, lo, (payload) => …);
 * index.work(0).info.title
 * ```
 */
export class SnapshotIndex {
  readonly exact: KeyTable;
  readonly lsh: KeyTable;
  readonly containment: KeyTable;
  readonly disputes: KeyTable;
  readonly minhashWorks: Uint32Array;
  readonly winnowWorks: Uint32Array;
  readonly pdq: PdqIndex;
  readonly pdqWorks: Uint32Array;
  readonly audio: AudioIndex;
  readonly audioWorks: Uint32Array;
  readonly video: VideoIndex;
  readonly videoWorks: Uint32Array;
  readonly works: number;
  private readonly workOffsets: Float64Array;
  private readonly winnowOffsets: Float64Array;
  private readonly policySets: readonly (readonly [UseScope, Stance, string | null])[][];
  private readonly cache = new Map<number, SnapshotWorkEntry>();
  private fd: number | undefined;

  private constructor(readonly snapshot: LoadedSnapshot) {
    const works = snapshot.manifest.counts.works;
    this.works = works;
    this.workOffsets = this.f64('work-offsets', works + 1);
    this.minhashWorks = this.u32('minhash-works', snapshot.manifest.counts.minhashSignatures, works);
    this.winnowWorks = this.u32('winnow-works', snapshot.manifest.counts.winnowSets, works);
    this.winnowOffsets = this.f64('winnow-offsets', snapshot.manifest.counts.winnowSets + 1);
    this.exact = KeyTable.fromBytes(this.section('exact'));
    this.lsh = KeyTable.fromBytes(this.section('lsh'), Math.max(0, this.minhashWorks.length - 1));
    this.containment = KeyTable.fromBytes(this.section('containment'), Math.max(0, this.winnowWorks.length - 1));
    this.disputes = KeyTable.fromBytes(this.section('disputes'), Math.max(0, works - 1));
    this.pdq = PdqIndex.fromBytes(this.section('pdq'));
    this.pdqWorks = this.u32('pdq-works', this.pdq.size, works);
    this.audio = AudioIndex.fromBytes(this.section('audio'));
    this.audioWorks = this.u32('audio-works', this.audio.size, works);
    this.video = VideoIndex.fromBytes(this.section('video'));
    this.videoWorks = this.u32('video-works', this.video.size, works);
    for (let i = 1; i < this.workOffsets.length; i++)
      if (!(this.workOffsets[i]! >= this.workOffsets[i - 1]!)) throw invalid('work offsets decrease');
    if (this.workOffsets[works]! > (snapshot.disk.works?.[1] ?? 0)) throw invalid('work offsets exceed the records');
    for (let i = 1; i < this.winnowOffsets.length; i++)
      if (!(this.winnowOffsets[i]! >= this.winnowOffsets[i - 1]!)) throw invalid('winnow offsets decrease');
    if (this.winnowOffsets[this.winnowOffsets.length - 1]! * 12 > (snapshot.disk.winnow?.[1] ?? 0))
      throw invalid('winnow offsets exceed the fingerprints');
    try {
      const policies: unknown = JSON.parse(new TextDecoder().decode(this.section('policies')));
      if (!Array.isArray(policies)) throw invalid('policies are not an array');
      this.policySets = policies as never;
    } catch (error) {
      if (error instanceof ScanError) throw error;
      throw invalid('policies are not JSON');
    }
  }

  /** Views a loaded snapshot's sections. */
  static attach(snapshot: LoadedSnapshot): SnapshotIndex {
    return new SnapshotIndex(snapshot);
  }

  private section(name: SectionName): Uint8Array {
    const where = this.snapshot.memory[name];
    if (where === undefined) throw invalid(`section ${name} is missing`);
    return new Uint8Array(this.snapshot.shared, where[0], where[1]);
  }

  private u32(name: SectionName, length: number, below: number): Uint32Array {
    const bytes = this.section(name);
    if (bytes.length !== length * 4) throw invalid(`section ${name} has the wrong size`);
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset, length);
    for (let i = 0; i < length; i++) if (view[i]! >= below) throw invalid(`section ${name} points past the works`);
    return view;
  }

  private f64(name: SectionName, length: number): Float64Array {
    const bytes = this.section(name);
    if (bytes.length !== length * 8) throw invalid(`section ${name} has the wrong size`);
    return new Float64Array(bytes.buffer, bytes.byteOffset, length);
  }

  private read(name: SectionName, offset: number, length: number): Buffer {
    const where = this.snapshot.disk[name];
    if (where === undefined || offset < 0 || offset + length > where[1]) throw invalid(`read outside ${name}`);
    this.fd ??= openSync(this.snapshot.path, 'r');
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const got = readSync(this.fd, buffer, done, length - done, where[0] + offset + done);
      if (got === 0)
        throw new ScanError('SNAPSHOT_TAMPERED', `${this.snapshot.path} was truncated after it was opened`);
      done += got;
    }
    return buffer;
  }

  /** The work at `index`: its info and registry statements (parsed once, then cached). */
  work(index: number): SnapshotWorkEntry {
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached;
    if (!Number.isInteger(index) || index < 0 || index >= this.works) throw invalid(`no work ${index}`);
    const start = this.workOffsets[index]!;
    const bytes = this.read('works', start, this.workOffsets[index + 1]! - start);
    let record: WorkRecord;
    try {
      record = JSON.parse(bytes.toString('utf8')) as WorkRecord;
    } catch {
      throw invalid(`work record ${index} is not JSON`);
    }
    const registry = this.snapshot.manifest.registry.name;
    const statements: Statement[] = (this.policySets[record.p] ?? []).map(([use, stance, observedAt]) => ({
      kind: 'preference',
      id: `${record.id}/${use}`,
      source: { kind: 'registry', registry, workId: record.id },
      uses: [use],
      stance,
      ...(observedAt === null ? {} : { observedAt }),
    }));
    const entry: SnapshotWorkEntry = {
      index,
      info: {
        id: record.id,
        kind: record.k,
        ...(record.t === undefined ? {} : { title: { lang: record.t[0], title: record.t[1] } }),
        disputed: record.d,
        holders: record.h.map(([id, name, role, shareBp]) => ({ id, name, role, shareBp })),
      },
      statements,
    };
    if (this.cache.size >= WORK_CACHE) this.cache.clear();
    this.cache.set(index, entry);
    return entry;
  }

  /** The index of the work with this id, or undefined. */
  findWork(id: string): number | undefined {
    const [hi, lo] = identifierKey('work', id);
    let found: number | undefined;
    this.exact.find(hi, lo, (payload) => {
      if (payload >>> 28 === WORK_METHOD && found === undefined) {
        const index = payload & 0x0fffffff;
        if (index < this.works && this.work(index).info.id === id) found = index;
      }
    });
    return found;
  }

  /** The works in an open dispute with work `index` (not itself). */
  disputedWith(index: number): number[] {
    const out: number[] = [];
    this.disputes.find(index, 0, (other) => out.push(other));
    return out;
  }

  /** MinHash signature `entry` (read from disk). */
  minhash(entry: number): Uint32Array {
    const bytes = this.read('minhash', entry * 512, 512);
    return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 512));
  }

  /** Winnowing fingerprint set `entry` (read from disk). */
  winnow(entry: number): WinnowFingerprints {
    if (entry < 0 || entry + 1 >= this.winnowOffsets.length) throw invalid(`no winnow set ${entry}`);
    const start = this.winnowOffsets[entry]!;
    const count = this.winnowOffsets[entry + 1]! - start;
    const bytes = this.read('winnow', start * 12, count * 12);
    const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 12));
    return {
      positions: words.subarray(0, count),
      hashHigh: words.subarray(count, 2 * count),
      hashLow: words.subarray(2 * count, 3 * count),
    };
  }

  /** Releases the file descriptor. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function invalid(why: string): ScanError {
  return new ScanError('SNAPSHOT_INVALID', `snapshot: ${why}`);
}
