import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createNoteSigner,
  encodeUtf8,
  formatVerifierKey,
  generateNoteKey,
  hashChildren,
  hashLeaf,
  toHex,
} from '@heoga/core';
import { defaultDeps, openDatabase, TransparencyLog } from '@heoga/registry';
import type { OneShot } from './harness.js';

const LEAVES = Number(process.env['BENCH_LOG_LEAVES'] ?? 1_000_000);
const PROOFS = 2_000;

/**
 * Proof generation from the stored tree at 1,000,000 entries (DESIGN §6 / issue 7: under 1 ms). The tree's
 * subtree hashes are computed here and written straight into the log's tables on SQLite, as the appender would
 * leave them; then inclusion and consistency proofs are generated through the log service for random indices.
 */
async function proofBench(
  kind: 'inclusion' | 'consistency',
): Promise<{ operations: number; seconds: number; extra: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'heoga-bench-log-'));
  const database = await openDatabase({ engine: 'sqlite', file: join(dir, 'log.sqlite') });
  try {
    const buildStart = performance.now();
    const levels: Uint8Array[][] = [[]];
    const rows: { level: number; idx: number; hash: string }[] = [];
    for (let i = 0; i < LEAVES; i += 1) {
      let hash = hashLeaf(encodeUtf8(`{"event":"ev_${i}","v":1}`));
      let level = 0;
      let position = i;
      levels[0]!.push(hash);
      rows.push({ level: 0, idx: position, hash: toHex(hash) });
      while (position % 2 === 1) {
        hash = hashChildren(levels[level]![position - 1]!, hash);
        level += 1;
        position = (position - 1) / 2;
        (levels[level] ??= []).push(hash);
        rows.push({ level, idx: position, hash: toHex(hash) });
      }
      if (rows.length >= 20_000 || i === LEAVES - 1) {
        await database.db.transaction().execute(async (trx) => {
          for (let j = 0; j < rows.length; j += 2_000)
            await trx
              .insertInto('log_nodes')
              .values(rows.slice(j, j + 2_000))
              .execute();
        });
        rows.length = 0;
      }
    }
    const key = generateNoteKey('bench.heoga/log');
    const log = new TransparencyLog(database, defaultDeps(), {
      origin: 'bench.heoga/log',
      signer: createNoteSigner(key),
      verifierKey: formatVerifierKey(key),
    });
    const sizes = [LEAVES, Math.floor(LEAVES / 3) + 7];
    for (const size of sizes)
      await database.db
        .insertInto('log_checkpoints')
        .values({ size, root_hash: '', note: '', created_at: '' })
        .execute();
    const buildSeconds = (performance.now() - buildStart) / 1000;
    let seed = 12345;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 50; i += 1) await log.inclusionProof(BigInt(random() % LEAVES), BigInt(LEAVES));
    const start = performance.now();
    for (let i = 0; i < PROOFS; i += 1) {
      if (kind === 'inclusion') await log.inclusionProof(BigInt(random() % LEAVES), BigInt(LEAVES));
      else await log.consistencyProof(BigInt(sizes[1]!), BigInt(LEAVES));
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      operations: PROOFS,
      seconds,
      extra: {
        leaves: LEAVES,
        setupSeconds: +buildSeconds.toFixed(1),
        microsecondsPerProof: +((seconds * 1e6) / PROOFS).toFixed(1),
      },
    };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const oneShots: readonly OneShot[] = [
  {
    group: 'log',
    name: `inclusion proof at ${LEAVES.toLocaleString('en-US')} entries (SQLite)`,
    unit: 'proof',
    bar: 'under 1 ms per proof',
    run: () => proofBench('inclusion'),
  },
  {
    group: 'log',
    name: `consistency proof at ${LEAVES.toLocaleString('en-US')} entries (SQLite)`,
    unit: 'proof',
    bar: 'under 1 ms per proof',
    run: () => proofBench('consistency'),
  },
];
