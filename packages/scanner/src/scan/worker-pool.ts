import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SignalReader } from '@heoga/reader';
import type { LoadedSnapshot } from '../snapshot/open-snapshot.js';
import { SnapshotIndex } from '../snapshot/snapshot-index.js';
import type { RecordBatch } from '../types.js';
import { ScanCore, type BatchResult } from './scan-core.js';
import type { ScanShard } from './shard.js';

/** What each worker is started with (structured-clone safe: the snapshot's buffer is shared, not copied). */
export interface WorkerSetup {
  readonly snapshot: LoadedSnapshot;
  readonly shard: ScanShard;
  readonly columns?: readonly string[];
  readonly allowPrivateUrls?: boolean;
}

/**
 * The compiled worker script. Worker threads run JavaScript, so when this module runs from its TypeScript source
 * (the test suite), the build's copy is used: `npm test` builds first.
 */
function workerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const built = new URL('../../dist/scan/scan-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(built)))
      throw new Error(`the scan worker is not built (${fileURLToPath(built)}): run npm run build`);
    return built;
  }
  return new URL('./scan-worker.js', import.meta.url);
}

interface Pending {
  resolve(result: BatchResult): void;
  reject(error: Error): void;
}

/**
 * Clears batches on every core: `threads` worker threads sharing one snapshot buffer, each batch given to the least
 * busy; or, with `threads` 0, in the calling thread (for tests, and machines with one core).
 *
 * @example
 * ```ts
 * const pool = new WorkerPool({ snapshot, shard }, 4);
 * const result = await pool.process(batch);
 * await pool.close();
 * ```
 */
export class WorkerPool {
  private readonly workers: { worker: Worker; busy: number; pending: Map<number, Pending> }[] = [];
  private readonly local: { core: ScanCore; index: SnapshotIndex; signals?: SignalReader } | undefined;
  private seq = 0;
  private failure: Error | undefined;

  constructor(
    setup: WorkerSetup,
    readonly threads: number,
  ) {
    if (threads <= 0) {
      const index = SnapshotIndex.attach(setup.snapshot);
      const signals = setup.shard.checkUrls
        ? new SignalReader({ allowPrivate: setup.allowPrivateUrls === true })
        : undefined;
      const core = new ScanCore(index, setup.shard, {
        ...(setup.columns ? { columns: setup.columns } : {}),
        ...(signals ? { signals } : {}),
      });
      this.local = { core, index, ...(signals ? { signals } : {}) };
      return;
    }
    const script = workerScript();
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script, { workerData: setup });
      const slot = { worker, busy: 0, pending: new Map<number, Pending>() };
      worker.on('message', (message: { seq: number; result?: BatchResult; error?: string }) => {
        const pending = slot.pending.get(message.seq);
        if (pending === undefined) return;
        slot.pending.delete(message.seq);
        slot.busy--;
        if (message.result !== undefined) pending.resolve(message.result);
        else pending.reject(new Error(`a scan worker failed: ${message.error ?? 'unknown error'}`));
      });
      worker.on('error', (error) => this.fail(slot, error));
      worker.on('exit', (code) => {
        if (slot.pending.size > 0) this.fail(slot, new Error(`a scan worker exited (code ${code})`));
      });
      this.workers.push(slot);
    }
  }

  private fail(slot: (typeof this.workers)[number], error: Error): void {
    this.failure ??= error;
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
  }

  /** Clears one batch. */
  process(batch: RecordBatch): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.local) return this.local.core.process(batch);
    let slot = this.workers[0]!;
    for (const w of this.workers) if (w.busy < slot.busy) slot = w;
    const seq = this.seq++;
    slot.busy++;
    return new Promise<BatchResult>((resolve, reject) => {
      slot.pending.set(seq, { resolve, reject });
      slot.worker.postMessage({ seq, batch });
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    if (this.local) {
      this.local.index.close();
      this.local.signals?.close();
      return;
    }
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
