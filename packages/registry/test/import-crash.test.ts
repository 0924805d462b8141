import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, openDatabase, SCOPES } from '../src/index.js';
import { testDeps } from './engines.js';

const ROWS = 50_000;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/import-until-killed.ts', import.meta.url));

/** Runs the importing child on `file` and kills it with SIGKILL as soon as it reports that the import has started. */
function importUntilKilled(file: string): Promise<{ stdout: string; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file, String(ROWS)], {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.test.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('started')) proc.kill('SIGKILL');
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (_code, signal) => resolve({ stdout, stderr, signal }));
  });
}

describe('catalog import crash safety [sqlite]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'heoga-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`leaves none or all of a ${ROWS.toLocaleString('en')}-row import when the importing process is killed`, async () => {
    const file = join(dir, 'heoga.sqlite');
    const { stdout, stderr, signal } = await importUntilKilled(file);
    expect(stdout, stderr).toMatch(/^started \d+\/50000$/m);
    // Killed mid-import, unless the import happened to finish first: both must leave a consistent database.
    if (signal !== 'SIGKILL') expect(stdout).toContain(`finished committed ${ROWS}`);

    const sqlite = new SqliteDatabase(file);
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
      const works = count('SELECT count(*) AS n FROM works');
      const imports = count('SELECT count(*) AS n FROM imports');
      expect([0, ROWS]).toContain(works);
      expect(imports).toBe(works === 0 ? 0 : 1);
      // Every part of the import shares its fate: titles, identifiers, rights holders, policies and events.
      const expectPerWork = (table: string, perWork: number) =>
        expect(count(`SELECT count(*) AS n FROM ${table}`)).toBe(works * perWork);
      expectPerWork('work_titles', 2);
      expectPerWork('work_identifiers', 1);
      expectPerWork('work_rights_holders', 1);
      expectPerWork('policies', 5);
      expect(count("SELECT count(*) AS n FROM events WHERE type = 'work.registered'")).toBe(works);
      expect(count("SELECT count(*) AS n FROM events WHERE type = 'catalog.imported'")).toBe(imports);
      // What committed before the import survives the crash.
      expect(count('SELECT count(*) AS n FROM accounts')).toBe(1);
      expect(count('SELECT count(*) AS n FROM organisations')).toBe(1);
    } finally {
      sqlite.close();
    }

    // The registry opens the file again and imports into it.
    const database = await openDatabase({ engine: 'sqlite', file });
    try {
      const registry = createRegistry(database, testDeps());
      const admin = await database.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow();
      const org = await database.db.selectFrom('organisations').selectAll().executeTakeFirstOrThrow();
      const catalog = `external_id,kind,title:en,rights_holders\nafter-crash,text,After,${org.rights_holder_id}:publisher:100\n`;
      const report = await registry.imports.importCatalog(
        { accountId: admin.id, role: 'org-admin', scopes: SCOPES, via: 'local' },
        org.id,
        new TextEncoder().encode(catalog),
        { format: 'csv' },
      );
      expect(report).toMatchObject({ outcome: 'committed', created: 1 });
    } finally {
      await database.close();
    }
  }, 120_000);
});
