import { formatIssuePath } from '@heoga/core';
import { z } from 'zod';
import type { RegistryDatabase } from '../db/open-database.js';
import { sha256Hex, type RegistryDeps } from '../deps.js';
import { RegistryError } from '../errors.js';
import { adminOrganisations, requireScope } from './access.js';
import type { Actor } from './actor.js';
import { parseCatalog, type CatalogFormat } from './catalog-format.js';
import { beginWrite, recordEvent } from './events.js';
import { workInput, type ValidWork } from './work-input.js';
import { loadWorks, openDisputes, writeWorks, type Work, type WorkWrite } from './work-store.js';

/** How to run an import. */
export interface ImportOptions {
  readonly format: CatalogFormat;
  /** Validate and report, write nothing. */
  readonly dryRun?: boolean;
  /** Commit the valid rows and report the rest (default: all or nothing). */
  readonly partial?: boolean;
  /** Reads a local file named in a row's `file` column (the local importer only; the server has none). */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
  /** Called as rows are written: rows done so far and the total to write. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One row that was not imported, and why. */
export interface ImportRowError {
  readonly line: number;
  readonly path: string;
  readonly message: string;
}

/** What an import did (or, for a dry run or a rejected import, would have done). */
export interface ImportReport {
  /** `committed`: written; `dry-run`: nothing written by request; `rejected`: nothing written because rows were invalid. */
  readonly outcome: 'committed' | 'dry-run' | 'rejected';
  readonly importId: string | null;
  readonly organisationId: string;
  readonly fileSha256: string;
  readonly rowsTotal: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly rejected: number;
  readonly errors: readonly ImportRowError[];
}

const WRITE_CHUNK = 2_000;

/** A comparable summary of a work's content; each side passes its rights holders as `id/role/basis points`. */
function contentOf(data: ValidWork | Work, holders: readonly string[]): string {
  return JSON.stringify({
    kind: data.kind,
    titles: [...data.titles].map((t) => `${t.lang}:${t.title}`).sort(),
    identifiers: [...data.identifiers].map((i) => `${i.scheme}:${i.value}`).sort(),
    holders: [...holders].sort(),
    fingerprints: [...data.fingerprints].map((f) => `${f.algorithm}:${f.value}:${f.fileSha256 ?? ''}`).sort(),
    policy: data.policy,
  });
}

const storedContent = (work: Work): string =>
  contentOf(
    work,
    work.rightsHolders.map((h) => `${h.rightsHolderId}/${h.role}/${Math.round(h.share * 100)}`),
  );

const inputContent = (data: ValidWork): string =>
  contentOf(
    data,
    data.rightsHolders.map((h) => `${h.rightsHolderId}/${h.role}/${h.shareBp}`),
  );

/** Bulk catalog import for organisations: CSV or JSON Lines, idempotent by external id. */
export class ImportService {
  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
  ) {}

  /**
   * Imports a catalog into an organisation. Rows are validated like API input, with line numbers in the report.
   * Re-importing updates works by external id and never duplicates them. By default the whole import is one
   * transaction, written only if every row is valid; with `partial`, valid rows are committed and the rest
   * reported. A crash at any point leaves either none of the import or all of it.
   */
  async importCatalog(
    actor: Actor,
    organisationId: string,
    bytes: Uint8Array,
    options: ImportOptions,
  ): Promise<ImportReport> {
    requireScope(actor, 'import');
    const org = await this.database.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', organisationId)
      .executeTakeFirst();
    if (!org) throw new RegistryError('NOT_FOUND', `no organisation ${organisationId}`);
    if (actor.role !== 'operator' && !(await adminOrganisations(this.database.db, actor)).includes(organisationId)) {
      throw new RegistryError('FORBIDDEN', `you do not administer organisation ${organisationId}`);
    }
    const fileSha256 = sha256Hex(bytes);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new RegistryError('VALIDATION_FAILED', 'the catalog is not UTF-8 text', {
        issues: [{ path: '(file)', message: 'not UTF-8' }],
      });
    }
    const parsed = parseCatalog(text, options.format);
    const errors: ImportRowError[] = [...parsed.issues];
    const badLines = new Set(parsed.issues.map((i) => i.line));

    // Rights holders named in the catalog: this organisation's represented holders by exact name, or new ones.
    const represented = await this.database.db
      .selectFrom('mandates')
      .innerJoin('rights_holders', 'rights_holders.id', 'mandates.rights_holder_id')
      .select(['rights_holders.id', 'rights_holders.name'])
      .where('mandates.organisation_id', '=', organisationId)
      .where('mandates.revoked_at', 'is', null)
      .execute();
    const holderByName = new Map(represented.map((r) => [r.name, r.id]));
    const newHolders = new Map<string, string>();
    const representedIds = new Set([...represented.map((r) => r.id), org.rights_holder_id]);

    const valid: { line: number; data: ValidWork }[] = [];
    const seenExternal = new Map<string, number>();
    for (const row of parsed.rows) {
      if (badLines.has(row.line)) continue;
      const record: Record<string, unknown> = { ...row.record, organisationId };
      if (row.namedHolders.length > 0) {
        const holders = (record['rightsHolders'] as Record<string, unknown>[]).map((h) => ({ ...h }));
        for (const { index, name } of row.namedHolders) {
          let id = holderByName.get(name) ?? newHolders.get(name);
          if (id === undefined) {
            id = this.deps.newId('rh');
            newHolders.set(name, id);
          }
          if (holders[index]) holders[index]['rightsHolderId'] = id;
        }
        record['rightsHolders'] = holders;
      }
      if (row.file !== undefined) {
        if (!options.readFile) {
          errors.push({
            line: row.line,
            path: 'file',
            message: 'file paths are read by the local importer only: send sha256 instead',
          });
          continue;
        }
        try {
          const digest = sha256Hex(await options.readFile(row.file));
          record['fingerprints'] = [
            ...((record['fingerprints'] as unknown[]) ?? []),
            { algorithm: 'sha256', value: digest, fileSha256: digest },
          ];
        } catch (error) {
          errors.push({
            line: row.line,
            path: 'file',
            message: `cannot read ${row.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          });
          continue;
        }
      }
      const result = workInput.safeParse(record);
      if (!result.success) {
        for (const issue of result.error.issues) {
          errors.push({ line: row.line, path: formatIssuePath(issue.path, '(row)'), message: issue.message });
        }
        continue;
      }
      const data = result.data;
      if (data.externalId === undefined) {
        errors.push({ line: row.line, path: 'externalId', message: 'every catalog row needs an external id' });
        continue;
      }
      const earlier = seenExternal.get(data.externalId);
      if (earlier !== undefined) {
        errors.push({
          line: row.line,
          path: 'externalId',
          message: `external id ${data.externalId} is also on line ${earlier}`,
        });
        continue;
      }
      seenExternal.set(data.externalId, row.line);
      const newIds = new Set(newHolders.values());
      if (!data.rightsHolders.some((h) => representedIds.has(h.rightsHolderId) || newIds.has(h.rightsHolderId))) {
        errors.push({
          line: row.line,
          path: 'rightsHolders',
          message: 'no rights holder on this row is represented by this organisation (mandate)',
        });
        continue;
      }
      valid.push({ line: row.line, data });
    }

    // Every referenced rights holder id must exist (new named ones are created below).
    const referenced = [...new Set(valid.flatMap((v) => v.data.rightsHolders.map((h) => h.rightsHolderId)))].filter(
      (id) => ![...newHolders.values()].includes(id),
    );
    const known = new Set<string>();
    for (let i = 0; i < referenced.length; i += 500) {
      const rows = await this.database.db
        .selectFrom('rights_holders')
        .select('id')
        .where('id', 'in', referenced.slice(i, i + 500))
        .execute();
      for (const r of rows) known.add(r.id);
    }
    const accepted = valid.filter((v) => {
      const missing = v.data.rightsHolders.find(
        (h) => !known.has(h.rightsHolderId) && ![...newHolders.values()].includes(h.rightsHolderId),
      );
      if (missing)
        errors.push({
          line: v.line,
          path: 'rightsHolders',
          message: `unknown rights holder ${missing.rightsHolderId}`,
        });
      return !missing;
    });

    // Existing works by external id: updated when their content changed, left alone otherwise.
    const existingIds = new Map<string, string>();
    const externalIds = accepted.map((v) => v.data.externalId!);
    for (let i = 0; i < externalIds.length; i += 500) {
      const rows = await this.database.db
        .selectFrom('works')
        .select(['id', 'external_id'])
        .where('organisation_id', '=', organisationId)
        .where('external_id', 'in', externalIds.slice(i, i + 500))
        .execute();
      for (const r of rows) if (r.external_id) existingIds.set(r.external_id, r.id);
    }
    const existing = new Map((await loadWorks(this.database.db, [...existingIds.values()])).map((w) => [w.id, w]));
    const writes: WorkWrite[] = [];
    let unchanged = 0;
    for (const v of accepted) {
      const id = existingIds.get(v.data.externalId!);
      const current = id ? existing.get(id) : undefined;
      if (current && storedContent(current) === inputContent(v.data)) {
        unchanged += 1;
        continue;
      }
      writes.push(
        current ? { id: current.id, data: v.data, existing: current } : { id: this.deps.newId('w'), data: v.data },
      );
    }
    const created = writes.filter((w) => !w.existing).length;
    const updated = writes.length - created;
    const rejectedLines = new Set(errors.map((e) => e.line));
    errors.sort((a, b) => a.line - b.line);
    const report = {
      organisationId,
      fileSha256,
      rowsTotal: parsed.rows.length + parsed.issues.filter((i) => !parsed.rows.some((r) => r.line === i.line)).length,
      created,
      updated,
      unchanged,
      rejected: rejectedLines.size,
      errors: errors.slice(0, 10_000),
    };
    if (options.dryRun) return { outcome: 'dry-run', importId: null, ...report };
    if (errors.length > 0 && !options.partial)
      return { outcome: 'rejected', importId: null, ...report, created: 0, updated: 0 };

    const importId = this.deps.newId('imp');
    await this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      const now = this.deps.now().toISOString();
      const usedNew = new Set(writes.flatMap((w) => w.data.rightsHolders.map((h) => h.rightsHolderId)));
      for (const [name, id] of newHolders) {
        if (!usedNew.has(id)) continue;
        await trx
          .insertInto('rights_holders')
          .values({ id, kind: 'person', name, account_id: null, created_at: now })
          .execute();
        const mandateId = this.deps.newId('mnd');
        await trx
          .insertInto('mandates')
          .values({
            id: mandateId,
            organisation_id: organisationId,
            rights_holder_id: id,
            granted_by: actor.accountId,
            created_at: now,
            revoked_at: null,
          })
          .execute();
        await recordEvent(trx, this.deps, {
          type: 'rights-holder.created',
          actorId: actor.accountId,
          subjectType: 'rights-holder',
          subjectId: id,
          after: { id, kind: 'person', name, organisationId },
        });
      }
      let done = 0;
      for (let i = 0; i < writes.length; i += WRITE_CHUNK) {
        const chunk = writes.slice(i, i + WRITE_CHUNK);
        await writeWorks(trx, this.deps, actor.accountId, chunk);
        await openDisputes(
          trx,
          this.deps,
          actor.accountId,
          chunk.map((w) => w.id),
        );
        done += chunk.length;
        options.onProgress?.(done, writes.length);
      }
      await trx
        .insertInto('imports')
        .values({
          id: importId,
          organisation_id: organisationId,
          actor_id: actor.accountId,
          file_sha256: fileSha256,
          rows_total: report.rowsTotal,
          rows_imported: writes.length + unchanged,
          rows_rejected: report.rejected,
          created_at: now,
        })
        .execute();
      await recordEvent(trx, this.deps, {
        type: 'catalog.imported',
        actorId: actor.accountId,
        subjectType: 'organisation',
        subjectId: organisationId,
        after: { importId, fileSha256, created, updated, unchanged, rejected: report.rejected },
      });
    });
    return { outcome: 'committed', importId, ...report };
  }
}

/** Import options as the HTTP API accepts them. */
export const importQuery = z.strictObject({
  format: z.enum(['csv', 'jsonl']),
  dryRun: z.enum(['true', 'false']).optional(),
  partial: z.enum(['true', 'false']).optional(),
});
