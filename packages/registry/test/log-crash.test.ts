import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createNoteSigner,
  createNoteVerifier,
  encodeUtf8,
  formatSignerKey,
  formatVerifierKey,
  MerkleTree,
  noteKeyFromSeed,
  openCheckpointOrThrow,
  parseSignerKey,
  toHex,
  verifyReceipt,
} from '@heoga/core';
import {
  createRegistry,
  LOG_BATCH,
  openDatabase,
  SCOPES,
  TransparencyLog,
  type Actor,
  type DatabaseLocation,
  type Engine,
  type RegistryDatabase,
} from '../src/index.js';
import { syntheticCatalogCsv } from '../../../bench/fixtures.js';
import { testServices } from '../../../test/support/services.js';
import { testDeps } from './engines.js';

const WORKS = 5_000;
const ORIGIN = 'heoga.test/log';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/append-until-killed.ts', import.meta.url));

/** The signer key string shared by the parent and the child: a fresh seed, passed to the child in its environment. */
const signerKey = formatSignerKey(noteKeyFromSeed(ORIGIN, randomBytes(32)));
const parsedKey = parseSignerKey(signerKey);
if (!parsedKey.ok) throw new Error('the test signer key does not parse');
const key = parsedKey.value;
const verifiers = [createNoteVerifier(key)];

function logFor(database: RegistryDatabase): TransparencyLog {
  return new TransparencyLog(database, testDeps(), {
    origin: ORIGIN,
    signer: createNoteSigner(key),
    verifierKey: formatVerifierKey(key),
  });
}

/** Where a crash test's database lives, the child's arguments for it, and how to remove it. */
interface Place {
  readonly location: DatabaseLocation;
  readonly childArgs: readonly string[];
  remove(): Promise<void>;
}

function placeFor(engine: Engine): Place {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'heoga-log-crash-'));
    const file = join(dir, 'heoga.sqlite');
    return {
      location: { engine: 'sqlite', file },
      childArgs: ['sqlite', file],
      remove: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const url = testServices().postgresUrl!;
  const schema = `heoga_test_${randomBytes(6).toString('hex')}`;
  return {
    location: { engine: 'postgres', url, schema, poolSize: 4 },
    childArgs: ['postgres', url, schema],
    remove: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** Fills a fresh registry with an organisation and a catalog import of WORKS works; returns the number of events. */
async function prepare(location: DatabaseLocation): Promise<number> {
  const database = await openDatabase(location);
  try {
    const registry = createRegistry(database, testDeps());
    const admin = await registry.accounts.signUp({
      email: 'log-crash@example.test',
      password: 'a long enough password',
      displayName: 'Log Crash',
      role: 'org-admin',
    });
    const actor: Actor = { accountId: admin.id, role: 'org-admin', scopes: SCOPES, via: 'local' };
    const org = await registry.organisations.createOrganisation(actor, { name: 'Log Crash Press' });
    const csv = encodeUtf8(syntheticCatalogCsv(WORKS, org.rightsHolderId));
    const report = await registry.imports.importCatalog(actor, org.id, csv, { format: 'csv' });
    expect(report).toMatchObject({ outcome: 'committed', created: WORKS });
    const { n } = await database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  } finally {
    await database.close();
  }
}

interface ChildRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly signal: NodeJS.Signals | null;
  /** Whether the child was still running when the parent sent SIGKILL. */
  readonly runningAtKill: boolean;
}

/** Runs the appending child and kills it with SIGKILL as soon as it reports its first committed batch. */
function appendUntilKilled(place: Place): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...place.childArgs], {
      cwd: repoRoot,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.test.json'),
        HEOGA_TEST_LOG_KEY: signerKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let runningAtKill = false;
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/^batch \d+$/m.test(stdout) && !proc.killed) {
        runningAtKill = proc.exitCode === null;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (_code, signal) => resolve({ stdout, stderr, signal, runningAtKill }));
  });
}

/** The number of stored nodes in a tree of `n` leaves: at each level, one per complete subtree. */
function nodeCount(n: number): number {
  let total = 0;
  for (let width = n; width > 0; width = Math.floor(width / 2)) total += width;
  return total;
}

/** Checks that the log is a whole, consistent tree: entries, nodes and the latest checkpoint agree. */
async function expectConsistentLog(database: RegistryDatabase, eventCount: number): Promise<number> {
  const db = database.db;
  const entries = await db.selectFrom('log_entries').select(['idx', 'event_id', 'entry']).orderBy('idx').execute();
  const n = entries.length;
  expect(n % LOG_BATCH === 0 || n === eventCount, `${n} entries`).toBe(true);
  expect(entries.map((e) => Number(e.idx))).toEqual(Array.from({ length: n }, (_, i) => i));
  const eventIds = new Set((await db.selectFrom('events').select('id').execute()).map((e) => e.id));
  const logged = new Set(entries.map((e) => e.event_id));
  expect(logged.size).toBe(n);
  for (const id of logged) expect(eventIds.has(id), id).toBe(true);

  const { nodes } = await db
    .selectFrom('log_nodes')
    .select((eb) => eb.fn.countAll().as('nodes'))
    .executeTakeFirstOrThrow();
  expect(Number(nodes)).toBe(nodeCount(n));
  const leaves = await db
    .selectFrom('log_nodes')
    .select(['idx', 'hash'])
    .where('level', '=', 0)
    .orderBy('idx')
    .execute();
  const tree = MerkleTree.from(entries.map((e) => encodeUtf8(e.entry)));
  expect(leaves.map((l) => l.hash)).toEqual(entries.map((_, i) => toHex(tree.leafHash(BigInt(i)))));

  const checkpoints = await db
    .selectFrom('log_checkpoints')
    .select(['size', 'root_hash', 'note'])
    .orderBy('size')
    .execute();
  for (const c of checkpoints) expect(Number(c.size) % LOG_BATCH === 0 || Number(c.size) === eventCount).toBe(true);
  const latest = checkpoints.at(-1);
  if (n === 0) {
    expect(latest).toBeUndefined();
    return 0;
  }
  expect(Number(latest!.size)).toBe(n);
  expect(latest!.root_hash).toBe(toHex(tree.root()));
  const opened = openCheckpointOrThrow(latest!.note, verifiers);
  expect(opened.checkpoint.size).toBe(BigInt(n));
  expect(toHex(opened.checkpoint.rootHash)).toBe(toHex(tree.root()));
  return n;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  const skip = engine === 'postgres' && !testServices().postgresUrl;
  describe.skipIf(skip)(`transparency log crash safety [${engine}]`, () => {
    const place = skip ? undefined : placeFor(engine);
    afterAll(async () => {
      await place?.remove();
    });

    it(`keeps whole batches when the appending process is killed mid-append, and resumes exactly`, async () => {
      const started = performance.now();
      const eventCount = await prepare(place!.location);
      expect(eventCount).toBeGreaterThan(2 * LOG_BATCH);
      const prepared = performance.now();

      const run = await appendUntilKilled(place!);
      expect(run.stdout, run.stderr).toMatch(/^batch 1000$/m);
      // It was killed while appending: still running, ended by the signal, and without finishing.
      expect(run.runningAtKill).toBe(true);
      expect(run.signal).toBe('SIGKILL');
      expect(run.stdout).not.toContain('done');
      const killed = performance.now();

      if (engine === 'sqlite') {
        const sqlite = new SqliteDatabase((place!.location as { file: string }).file);
        try {
          expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        } finally {
          sqlite.close();
        }
      }

      const database = await openDatabase(place!.location);
      try {
        const afterKill = await expectConsistentLog(database, eventCount);
        // At least the reported batch survived, and the kill landed before the end.
        expect(afterKill).toBeGreaterThanOrEqual(LOG_BATCH);
        expect(afterKill).toBeLessThan(eventCount);
        console.info(`[${engine}] ${afterKill} of ${eventCount} events were in the log after the kill`);

        const log = logFor(database);
        expect(await log.appendPending()).toBe(eventCount - afterKill);
        expect(await expectConsistentLog(database, eventCount)).toBe(eventCount);
        expect(await log.appendPending()).toBe(0);

        const resumed = performance.now();
        // Receipts verify across the whole log: the first and last entries of every batch, and every 25th between
        // (each check verifies a signature, ~1.5 ms: all 5,000 would take most of the test's time).
        const all = await database.db.selectFrom('events').select('id').orderBy('seq').execute();
        const events = all.filter(
          (_, i) => i % 25 === 0 || i % LOG_BATCH === 0 || i % LOG_BATCH === LOG_BATCH - 1 || i === all.length - 1,
        );
        for (let i = 0; i < events.length; i += 50) {
          const part = events.slice(i, i + 50);
          const receipts = await Promise.all(part.map((event) => log.receiptForEvent(event.id)));
          for (const [j, receipt] of receipts.entries()) {
            const checked = verifyReceipt(receipt, verifiers);
            if (!checked.ok) expect.fail(`${part[j]!.id}: ${checked.code} ${JSON.stringify(checked.issues)}`);
          }
        }
        console.info(`[${engine}] ${events.length} receipts in ${Math.round(performance.now() - resumed)} ms`);
      } finally {
        await database.close();
      }
      const done = performance.now();
      console.info(
        `[${engine}] prepare ${Math.round(prepared - started)} ms, child ${Math.round(killed - prepared)} ms, ` +
          `checks, resume and receipts ${Math.round(done - killed)} ms`,
      );
    }, 90_000);
  });
}
