import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry, openDatabase, SCOPES, type DatabaseLocation, type DatabaseSchema } from '../src/index.js';
import { testServices } from '../../../test/support/services.js';
import { testDeps } from './engines.js';

const ROWS = 50_000;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./fixtures/import-until-killed.ts', import.meta.url));

/** Runs the importing child on `file` and kills it with SIGKILL as soon as it reports that the import has started. */
function importUntilKilled(
  location: DatabaseLocation,
): Promise<{ stdout: string; stderr: string; signal: NodeJS.Signals | null }> {
  const where =
    location.engine === 'sqlite' ? ['sqlite', location.file] : ['postgres', location.url, location.schema ?? 'public'];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, ...where, String(ROWS)], {
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

for (const engine of ['sqlite', 'postgres'] as const) {
  const url = testServices().postgresUrl;
  describe.skipIf(engine === 'postgres' && !url)(`catalog import crash safety [${engine}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'heoga-crash-'));
    const schema = `heoga_crash_${randomBytes(6).toString('hex')}`;
    const location: DatabaseLocation =
      engine === 'sqlite'
        ? { engine, file: join(dir, 'heoga.sqlite') }
        : { engine, url: url ?? '', schema, poolSize: 2 };
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      if (engine === 'postgres' && url) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    });

    it(`leaves none or all of a ${ROWS.toLocaleString('en')}-row import when the importing process is killed`, async () => {
      const { stdout, stderr, signal } = await importUntilKilled(location);
      expect(stdout, stderr).toMatch(/^started \d+\/50000$/m);
      // Killed mid-import, unless the import happened to finish first: both must leave a consistent database.
      if (signal !== 'SIGKILL') expect(stdout).toContain(`finished committed ${ROWS}`);

      if (location.engine === 'sqlite') {
        const sqlite = new SqliteDatabase(location.file);
        try {
          expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
        } finally {
          sqlite.close();
        }
      }

      const database = await openDatabase(location);
      try {
        const count = async (table: keyof DatabaseSchema, type?: string) => {
          let query = database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
          if (type !== undefined) query = query.where('type' as never, '=', type as never);
          return Number((await query.executeTakeFirstOrThrow()).n);
        };
        const works = await count('works');
        const imports = await count('imports');
        expect([0, ROWS]).toContain(works);
        expect(imports).toBe(works === 0 ? 0 : 1);
        // Every part of the import shares its fate: titles, identifiers, rights holders, policies and events.
        expect(await count('work_titles')).toBe(works * 2);
        expect(await count('work_identifiers')).toBe(works);
        expect(await count('work_rights_holders')).toBe(works);
        expect(await count('policies')).toBe(works * 5);
        expect(await count('events', 'work.registered')).toBe(works);
        expect(await count('events', 'catalog.imported')).toBe(imports);
        // What committed before the import survives the crash.
        expect(await count('accounts')).toBe(1);
        expect(await count('organisations')).toBe(1);

        // The registry imports into the same database again.
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
}
