import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RegimeId, Use } from '@heoga/core';
import { ScanError } from '../errors.js';
import { openInput, writeCleared, type InputSource } from '../input/index.js';
import {
  ScanSummariser,
  renderReportHtml,
  type OutputDigest,
  type ScanQuote,
  type ScanReport,
} from '../report/index.js';
import type { LoadedSnapshot } from '../snapshot/open-snapshot.js';
import { SnapshotIndex } from '../snapshot/snapshot-index.js';
import type { FieldMapping, InputFormat, VerdictLine, WorkInfo } from '../types.js';
import { SCANNER_VERSION } from '../version.js';
import type { BatchResult } from './scan-core.js';
import { sameScan, type ScanShard } from './shard.js';
import { WorkerPool } from './worker-pool.js';

/** Where a scan is, for a progress bar. */
export interface ScanProgress {
  readonly phase: 'scanning' | 'writing';
  /** Records cleared so far (those of an earlier, interrupted run included). */
  readonly records: number;
  /** Records cleared by this run. */
  readonly recordsThisRun: number;
  /** Input bytes delimited by this run (uncompressed), and read from disk. */
  readonly bytesThisRun: number;
  readonly diskBytesThisRun: number;
  readonly diskBytesTotal: number;
  readonly elapsedMs: number;
}

/** What to scan, against what, and how. */
export interface ScanOptions {
  readonly input: string;
  readonly format?: InputFormat;
  readonly out: string;
  readonly snapshot: LoadedSnapshot;
  readonly use: Use;
  readonly regime: RegimeId;
  readonly mapping?: FieldMapping;
  readonly checkUrls?: boolean;
  /** Let `--check-urls` reach loopback and private addresses (tests with their own servers only). */
  readonly allowPrivateUrls?: boolean;
  /** Worker threads; default one per core. 0 clears in the calling thread. */
  readonly threads?: number;
  /** Start again even if the output folder holds another scan's checkpoint. */
  readonly restart?: boolean;
  readonly now?: () => Date;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Stop (as if killed) after this many records of this run: what the resume test interrupts with. */
  readonly stopAfter?: number;
}

/** What a scan produced. */
export interface ScanResult {
  /** The report and quote; undefined when `stopAfter` stopped the scan before the end. */
  readonly report: ScanReport | undefined;
  readonly quote: ScanQuote | undefined;
  readonly outDir: string;
  /** Records already cleared by an earlier run that this one resumed after (0 for a fresh scan). */
  readonly resumedFrom: number;
  /** Whether the scan ran to the end (false when `stopAfter` stopped it). */
  readonly complete: boolean;
  /** SHA-256 of report.json, the digest to log. */
  readonly reportSha256: string;
}

/** The checkpoint, `scan-state.json`: the shard and how far the scan got. */
interface ScanState {
  readonly format: 'heoga-scan-state/1';
  readonly shard: ScanShard;
  readonly startedAt: string;
  /** Records whose lines are in `verdicts.jsonl`, and the bytes they take: anything after is discarded on resume. */
  readonly records: number;
  readonly verdictBytes: number;
  readonly phase: 'scanning' | 'finished';
}

const STATE_FILE = 'scan-state.json';
const VERDICTS_FILE = 'verdicts.jsonl';
const CHECKPOINT_MS = 1000;

function writeState(out: string, state: ScanState): void {
  const path = join(out, STATE_FILE);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

function readState(out: string): ScanState | undefined {
  let text: string;
  try {
    text = readFileSync(join(out, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as ScanState;
    if (state.format !== 'heoga-scan-state/1') throw new Error('format');
    return state;
  } catch {
    throw new ScanError('CHECKPOINT_MISMATCH', `${join(out, STATE_FILE)} is not a scan checkpoint: remove it`, {
      path: join(out, STATE_FILE),
    });
  }
}

async function sha256OfFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * `heoga scan`: clears a dataset against a snapshot, on every core, resumably. Phase one streams the input through
 * the worker pool and appends each record's line to `verdicts.jsonl` in input order, checkpointing about once a
 * second (`scan-state.json`: records done and the bytes of their lines, written after the lines are on disk); a rerun
 * after a crash (kill -9 included) truncates `verdicts.jsonl` to the checkpoint and goes on from the next record, so
 * no record is lost or repeated. Phase two reads the verdicts back and writes `cleared.<format>`, `quote.json`,
 * `report.json` and `report.html`; it holds nothing but counts and a bit per record, and can be rerun at will.
 *
 * @throws {ScanError} `INPUT_UNREADABLE`, `INPUT_FORMAT_UNKNOWN`, `CHECKPOINT_MISMATCH`, `OUTPUT_UNWRITABLE`.
 * @example
 * ```ts
 * const result = await runScan({ input: 'data.jsonl.gz', out: 'scan', snapshot: openSnapshot('index.heoga'),
 *   use: 'ai-train-genai', regime: 'permission-first' });
 * result.report.totals.verdicts.cleared
 * ```
 */
export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const now = options.now ?? (() => new Date());
  const source = await openInput(options.input, options.format === undefined ? {} : { format: options.format });
  try {
    mkdirSync(options.out, { recursive: true });
  } catch (cause) {
    throw new ScanError('OUTPUT_UNWRITABLE', `cannot create ${options.out}: ${(cause as Error).message}`, {
      path: options.out,
      cause,
    });
  }
  try {
    return await scanSource(source, options, now);
  } finally {
    await source.close();
  }
}

async function scanSource(source: InputSource, options: ScanOptions, now: () => Date): Promise<ScanResult> {
  const stat = statSync(options.input);
  const startedAt = now().toISOString();
  const fresh: ScanShard = {
    format: 'heoga-scan-shard/1',
    snapshotId: options.snapshot.id,
    input: {
      path: options.input,
      format: source.format,
      bytes: source.diskBytes,
      modifiedMs: Math.floor(stat.mtimeMs),
    },
    mapping: options.mapping ?? {},
    use: options.use,
    regime: options.regime,
    at: startedAt,
    checkUrls: options.checkUrls === true,
    range: { from: 0 },
  };
  const verdictsPath = join(options.out, VERDICTS_FILE);
  let state = options.restart ? undefined : readState(options.out);
  if (state !== undefined && !sameScan({ ...fresh, at: state.shard.at }, state.shard)) {
    throw new ScanError(
      'CHECKPOINT_MISMATCH',
      `${options.out} holds a checkpoint of another scan (different input, snapshot, use, regime or fields): ` +
        'choose another --out, or pass --restart to discard it',
      { path: join(options.out, STATE_FILE) },
    );
  }
  if (state === undefined) {
    state = { format: 'heoga-scan-state/1', shard: fresh, startedAt, records: 0, verdictBytes: 0, phase: 'scanning' };
    writeFileSync(verdictsPath, '');
    writeState(options.out, state);
  }
  const shard = state.shard;
  const resumedFrom = state.records;

  let complete = true;
  if (state.phase === 'scanning') {
    const fd = openSync(verdictsPath, 'r+');
    try {
      // Lines written after the last checkpoint are discarded: they are cleared again below.
      if (fstatSync(fd).size < state.verdictBytes)
        throw new ScanError('CHECKPOINT_MISMATCH', `${verdictsPath} is shorter than its checkpoint says`, {
          path: verdictsPath,
        });
      ftruncateSync(fd, state.verdictBytes);
      const result = await scanRecords(source, options, shard, state, fd, now);
      state = result.state;
      complete = result.complete;
    } finally {
      closeSync(fd);
    }
    if (!complete) {
      return {
        report: undefined,
        quote: undefined,
        outDir: options.out,
        resumedFrom,
        complete,
        reportSha256: '',
      };
    }
  }

  options.onProgress?.({
    phase: 'writing',
    records: state.records,
    recordsThisRun: state.records - resumedFrom,
    bytesThisRun: 0,
    diskBytesThisRun: 0,
    diskBytesTotal: source.diskBytes,
    elapsedMs: 0,
  });
  const finished = await writeOutputs(source, options, shard, state, now);
  writeState(options.out, { ...state, phase: 'finished' });
  return { ...finished, outDir: options.out, resumedFrom, complete: true };
}

async function scanRecords(
  source: InputSource,
  options: ScanOptions,
  shard: ScanShard,
  initial: ScanState,
  fd: number,
  now: () => Date,
): Promise<{ state: ScanState; complete: boolean }> {
  const threads = options.threads ?? availableParallelism();
  const pool = new WorkerPool(
    {
      snapshot: options.snapshot,
      shard,
      ...(source.columns ? { columns: source.columns } : {}),
      ...(options.allowPrivateUrls ? { allowPrivateUrls: true } : {}),
    },
    threads,
  );
  let state = initial;
  let records = initial.records;
  let bytes = initial.verdictBytes;
  let lastCheckpoint = Date.now();
  const started = Date.now();
  let bytesThisRun = 0;
  let diskBytesThisRun = 0;
  const inFlight: Promise<BatchResult>[] = [];
  const limit = Math.max(2, threads * 2);
  const stopAt = options.stopAfter === undefined ? Infinity : initial.records + options.stopAfter;
  let complete = true;

  const checkpoint = () => {
    fsyncSync(fd);
    state = { ...state, records, verdictBytes: bytes };
    writeState(options.out, state);
    lastCheckpoint = Date.now();
  };
  const drainOne = async () => {
    const result = await inFlight.shift()!;
    if (result.first !== records)
      throw new ScanError('OUTPUT_UNWRITABLE', `internal error: batch at ${result.first}, expected ${records}`);
    const buffer = Buffer.from(result.lines, 'utf8');
    let done = 0;
    while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done, bytes + done);
    bytes += buffer.length;
    records += result.records;
    if (Date.now() - lastCheckpoint >= CHECKPOINT_MS) checkpoint();
    options.onProgress?.({
      phase: 'scanning',
      records,
      recordsThisRun: records - initial.records,
      bytesThisRun,
      diskBytesThisRun,
      diskBytesTotal: source.diskBytes,
      elapsedMs: Date.now() - started,
    });
  };
  try {
    for await (const batch of source.batches({ skip: initial.records })) {
      let use = batch;
      if (batch.first + batch.records.length > stopAt) {
        use = { ...batch, records: batch.records.slice(0, Math.max(0, stopAt - batch.first)) };
        complete = false;
      }
      bytesThisRun = batch.bytesRead;
      diskBytesThisRun = batch.diskBytesRead;
      if (use.records.length > 0) inFlight.push(pool.process(use));
      while (inFlight.length >= limit) await drainOne();
      if (!complete) break;
    }
    while (inFlight.length > 0) await drainOne();
    checkpoint();
  } finally {
    await Promise.allSettled(inFlight);
    await pool.close();
  }
  void now;
  return { state, complete };
}

async function writeOutputs(
  source: InputSource,
  options: ScanOptions,
  shard: ScanShard,
  state: ScanState,
  now: () => Date,
): Promise<{ report: ScanReport; quote: ScanQuote; reportSha256: string }> {
  const index = SnapshotIndex.attach(options.snapshot);
  const lookupWork = (id: string): WorkInfo | undefined => {
    const at = index.findWork(id);
    return at === undefined ? undefined : index.work(at).info;
  };
  const summariser = new ScanSummariser(lookupWork);
  const verdictsPath = join(options.out, VERDICTS_FILE);
  // One bit per record: a billion records take 125 MB.
  let keep = new Uint8Array(Math.max(1024, Math.ceil(state.records / 8)));
  let expected = shard.range.from;
  const lines = createInterface({ input: createReadStream(verdictsPath), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text.length === 0) continue;
    const line = JSON.parse(text) as VerdictLine;
    if (line.index !== expected)
      throw new ScanError(
        'CHECKPOINT_MISMATCH',
        `${verdictsPath}: line for record ${line.index}, expected ${expected}`,
        {
          path: verdictsPath,
        },
      );
    expected++;
    summariser.add(line);
    if (line.verdict === 'cleared') {
      const at = line.index - shard.range.from;
      if (at >>> 3 >= keep.length) {
        const grown = new Uint8Array(keep.length * 2);
        grown.set(keep);
        keep = grown;
      }
      keep[at >>> 3]! |= 1 << (at & 7);
    }
  }
  const cleared = await writeCleared(
    source,
    (i) => {
      const at = i - shard.range.from;
      return at >= 0 && at >>> 3 < keep.length && (keep[at >>> 3]! & (1 << (at & 7))) !== 0;
    },
    options.out,
  );
  const verdictDigest = await sha256OfFile(verdictsPath);
  const clearedName = cleared.path.slice(cleared.path.lastIndexOf('/') + 1);
  const outputs: OutputDigest[] = [
    { name: clearedName, bytes: cleared.bytes, sha256: cleared.sha256, records: cleared.records },
    { name: VERDICTS_FILE, bytes: verdictDigest.bytes, sha256: verdictDigest.sha256, records: state.records },
  ];
  const manifest = options.snapshot.manifest;
  const context = {
    snapshot: {
      id: options.snapshot.id,
      createdAt: manifest.createdAt,
      registry: manifest.registry.url ?? manifest.registry.name,
      works: manifest.counts.works,
      keyId: manifest.key.split('+').slice(0, 2).join('+'),
    },
    regime: shard.regime,
    use: shard.use,
    startedAt: state.startedAt,
    finishedAt: now().toISOString(),
    input: {
      path: options.input,
      format: source.format,
      compression: source.compression,
      records: state.records,
      bytes: source.diskBytes,
      sha256: cleared.inputSha256,
    },
    outputs,
    scanner: { version: SCANNER_VERSION, workers: options.threads ?? availableParallelism() },
  };
  const quote = summariser.finishQuote(context);
  const quoteText = `${JSON.stringify(quote, null, 2)}\n`;
  writeAtomically(join(options.out, 'quote.json'), quoteText);
  const quoteDigest = createHash('sha256').update(quoteText).digest('hex');
  const withQuote = {
    ...context,
    outputs: [...outputs, { name: 'quote.json', bytes: Buffer.byteLength(quoteText), sha256: quoteDigest }],
  };
  const report = summariser.finish(withQuote);
  const reportText = `${JSON.stringify(report, null, 2)}\n`;
  writeAtomically(join(options.out, 'report.json'), reportText);
  writeAtomically(join(options.out, 'report.html'), renderReportHtml(report, quote));
  index.close();
  return { report, quote, reportSha256: createHash('sha256').update(reportText).digest('hex') };
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
