import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, defaultDeps, openDatabase, type Actor } from '@heoga/registry';
import { syntheticCatalogCsv } from './fixtures.js';
import type { OneShot } from './harness.js';

const ROWS = 100_000;

/** Imports a 100,000-row CSV catalog into a fresh embedded SQLite registry, in one transaction. */
export const oneShots: readonly OneShot[] = [
  {
    group: 'registry',
    name: `import ${ROWS.toLocaleString('en-US')}-row CSV catalog (SQLite, one transaction)`,
    unit: 'row',
    bar: '100,000 rows in under 60 s (≥ 1,667 rows/s)',
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'heoga-bench-'));
      const database = await openDatabase({ engine: 'sqlite', file: join(dir, 'bench.sqlite') });
      try {
        const registry = createRegistry(database, defaultDeps());
        const admin = await registry.accounts.signUp({
          email: 'bench@heoga.example',
          password: 'bench password 1234',
          displayName: 'bench',
          role: 'org-admin',
        });
        const actor: Actor = {
          accountId: admin.id,
          role: 'org-admin',
          scopes: ['read', 'write', 'import'],
          via: 'local',
        };
        const org = await registry.organisations.createOrganisation(actor, { name: 'Bench org' });
        const holder = await registry.organisations.createRightsHolder(actor, {
          kind: 'person',
          name: 'Bench author',
          organisationId: org.id,
        });
        const csv = new TextEncoder().encode(syntheticCatalogCsv(ROWS, holder.id));
        const start = performance.now();
        const report = await registry.imports.importCatalog(actor, org.id, csv, { format: 'csv' });
        const seconds = (performance.now() - start) / 1000;
        if (report.outcome !== 'committed' || report.created !== ROWS)
          throw new Error(`bench import failed: ${JSON.stringify(report).slice(0, 500)}`);
        return {
          operations: ROWS,
          seconds,
          extra: { seconds: +seconds.toFixed(1), megabytes: +(csv.byteLength / 1e6).toFixed(1) },
        };
      } finally {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
