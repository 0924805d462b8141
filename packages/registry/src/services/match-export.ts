import type { MatchWork, Statement, Use } from '@heoga/core';
import type { RegistryDatabase } from '../db/open-database.js';
import type { RegistryDeps } from '../deps.js';
import { requireScope } from './access.js';
import type { Actor } from './actor.js';
import { disputeClosure, loadWorks } from './work-store.js';

/** One work as an index snapshot needs it: core's `MatchWork`. */
export type { MatchWork } from '@heoga/core';

/** Works read per round trip. */
const PAGE = 400;

/**
 * Reads the registry's match data for an index snapshot (issue 5): every work in id order, with its identifiers,
 * fingerprints, rights holders, registry statements and open disputes. It is public policy data, so any credential
 * with the `check` scope may read it; it streams, so a registry of a million works never sits in memory at once.
 */
export class MatchExportService {
  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
  ) {}

  /** The registry's name, as its statements give it. */
  get registryName(): string {
    return this.deps.registryName;
  }

  /** How many works an export will yield. */
  async count(actor: Actor): Promise<number> {
    requireScope(actor, 'check');
    const row = await this.database.db
      .selectFrom('works')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Every work, in id order, read page by page (keyset pagination, so rows written meanwhile never shift a page).
   *
   * @example
   * ```ts
   * for await (const work of registry.matchData.works(actor)) index.add(work);
   * ```
   */
  async *works(actor: Actor): AsyncGenerator<MatchWork> {
    requireScope(actor, 'check');
    const db = this.database.db;
    let after = '';
    for (;;) {
      const ids = (
        await db.selectFrom('works').select('id').where('id', '>', after).orderBy('id').limit(PAGE).execute()
      ).map((r) => r.id);
      if (ids.length === 0) return;
      after = ids[ids.length - 1]!;
      const [works, closure] = await Promise.all([loadWorks(db, ids), disputeClosure(db, ids)]);
      works.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const w of works) {
        const statements: Statement[] = [];
        for (const [use, observedAt] of Object.entries(w.policyUpdatedAt) as [Use, string][]) {
          statements.push({
            kind: 'preference',
            id: `${w.id}/${use}`,
            source: { kind: 'registry', registry: this.deps.registryName, workId: w.id },
            uses: [use],
            stance: w.policy[use],
            observedAt,
          });
        }
        statements.sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1));
        yield {
          id: w.id,
          kind: w.kind,
          disputed: w.status === 'disputed',
          titles: w.titles,
          identifiers: w.identifiers.map((i) => ({ scheme: i.scheme, value: i.value })),
          holders: w.rightsHolders.map((h) => ({
            id: h.rightsHolderId,
            name: h.name,
            role: h.role,
            shareBp: Math.round(h.share * 100),
          })),
          fingerprints: w.fingerprints,
          statements,
          disputedWith: [...new Set((closure.get(w.id) ?? []).filter((other) => other !== w.id))].sort(),
        };
      }
    }
  }
}
