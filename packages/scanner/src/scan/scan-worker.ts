/**
 * The worker thread of a scan: attaches to the snapshot's shared buffer, then clears each batch the main thread
 * posts and posts back its lines. Messages: in `{ seq, batch }`, out `{ seq, result }` or `{ seq, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SignalReader } from '@heoga/reader';
import { SnapshotIndex } from '../snapshot/snapshot-index.js';
import type { RecordBatch } from '../types.js';
import { ScanCore } from './scan-core.js';
import type { WorkerSetup } from './worker-pool.js';

const setup = workerData as WorkerSetup;
const index = SnapshotIndex.attach(setup.snapshot);
const signals = setup.shard.checkUrls ? new SignalReader({ allowPrivate: setup.allowPrivateUrls === true }) : undefined;
const core = new ScanCore(index, setup.shard, {
  ...(setup.columns ? { columns: setup.columns } : {}),
  ...(signals ? { signals } : {}),
});

parentPort!.on('message', (message: { seq: number; batch: RecordBatch } | 'close') => {
  if (message === 'close') {
    index.close();
    signals?.close();
    parentPort!.close();
    return;
  }
  core.process(message.batch).then(
    (result) => parentPort!.postMessage({ seq: message.seq, result }),
    (error: unknown) =>
      parentPort!.postMessage({ seq: message.seq, error: error instanceof Error ? error.message : String(error) }),
  );
});
