import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, defaultDeps, openDatabase } from '@heoga/registry';
import { benchOrganisation, syntheticCatalogCsv } from './fixtures.js';
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
        const { actor, organisationId, holderId } = await benchOrganisation(registry);
        const csv = new TextEncoder().encode(syntheticCatalogCsv(ROWS, holderId));
        const start = performance.now();
        const report = await registry.imports.importCatalog(actor, organisationId, csv, { format: 'csv' });
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
