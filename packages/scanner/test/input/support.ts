/** Shared helpers of the input reader tests: temporary folders and reading a source whole. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack as tarPack } from 'tar-stream';
import type { InputSource } from '../../src/input/index.js';
import type { RawRecord } from '../../src/types.js';

/** A fresh temporary folder; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'heoga-input-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every record of a source with its index, checking that indexes are consecutive. */
export async function readAll(
  source: InputSource,
  options: { skip?: number; batchBytes?: number; signal?: AbortSignal } = {},
): Promise<{ index: number; record: RawRecord }[]> {
  const out: { index: number; record: RawRecord }[] = [];
  let expected = options.skip ?? 0;
  for await (const batch of source.batches(options)) {
    if (batch.first !== expected) throw new Error(`batch starts at ${batch.first}, expected ${expected}`);
    batch.records.forEach((record, i) => out.push({ index: batch.first + i, record }));
    expected = batch.first + batch.records.length;
  }
  return out;
}

/** Text of a `json` record. */
export const jsonText = (r: RawRecord): string =>
  r.t === 'json' ? new TextDecoder().decode(r.bytes) : `(${r.t}${r.t === 'bad' ? `: ${r.reason}` : ''})`;

/** A tar archive of the given members, in order. */
export async function makeTar(
  members: readonly { name: string; data: Uint8Array | string; type?: 'file' | 'directory' }[],
): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const m of members) {
    await new Promise<void>((resolve, reject) => {
      if (m.type === 'directory') {
        pack.entry({ name: m.name, type: 'directory' }, (e) => (e ? reject(e) : resolve()));
      } else {
        pack.entry({ name: m.name }, Buffer.from(m.data), (e) => (e ? reject(e) : resolve()));
      }
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Splits bytes into chunks at the given cut points (sorted, deduplicated, in range). */
export function cutAt(bytes: Uint8Array, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.min(Math.max(0, c), bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p > at) out.push(Buffer.from(bytes.subarray(at, p)));
    at = Math.max(at, p);
  }
  return out;
}
