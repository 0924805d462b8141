import { isUse, stanceRestrictiveness, USES, type Stance, type Use } from '@heoga/core';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import type { RegistryDatabase } from '../db/open-database.js';
import type { DisputesTable } from '../db/schema.js';
import type { RegistryDeps } from '../deps.js';
import { RegistryError } from '../errors.js';
import {
  adminOrganisations,
  canReadWork,
  canWriteWork,
  controlledRightsHolders,
  removableRightsHolders,
  requireScope,
} from './access.js';
import type { Actor } from './actor.js';
import { beginWrite, recordEvent, type WriteTx } from './events.js';
import { workInput, policyInput, type ValidWork, type WorkInput } from './work-input.js';
import { disputeClosure, loadWorks, openDisputes, stanceFromRow, writeWorks, type Work } from './work-store.js';
import { validate } from './validate.js';

/** What anyone may see of a work: what it is, how to recognise it, and the policy that applies. */
export interface PublicWork {
  readonly id: string;
  readonly kind: string;
  readonly status: 'active' | 'disputed';
  readonly titles: Work['titles'];
  readonly identifiers: Work['identifiers'];
  /** The effective policy: for a disputed work, the most restrictive stance of every work in the dispute. */
  readonly policy: { readonly [U in Use]: Stance };
  readonly updatedAt: string;
}

/** A dispute between two works claiming the same identifier or fingerprint. */
export interface Dispute {
  readonly id: string;
  readonly workId: string;
  readonly otherWorkId: string;
  readonly claimKind: string;
  readonly claim: string;
  readonly status: 'open' | 'resolved';
  readonly openedAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
}

/** A page of results and the cursor for the next one (absent on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** The most restrictive of several stances: deny over license over allow over unknown. */
export function mostRestrictive(stances: readonly Stance[]): Stance {
  return stances.reduce<Stance>((a, b) => (stanceRestrictiveness(b.kind) > stanceRestrictiveness(a.kind) ? b : a), {
    kind: 'unknown',
  });
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
  } catch {
    // fall through to the typed error
  }
  throw new RegistryError('VALIDATION_FAILED', 'the cursor is not one this server gave out', {
    issues: [{ path: 'cursor', message: 'invalid cursor' }],
  });
}

export const resolveDisputeInput = z.strictObject({
  resolution: z.string().trim().min(1).max(2000),
  /** Remove the contested claim from this work (the one found not to hold it). */
  removeClaimFrom: z.string().min(1).max(100).optional(),
});

/** Works, their policies and disputes. */
export class WorkService {
  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
  ) {}

  private get db() {
    return this.database.db;
  }

  /**
   * Checks that the actor may register `data`: a creator must be one of its rights holders, an organisation admin
   * must act for one under mandate (and administer the organisation named), an operator may register anything.
   */
  async assertMayRegister(
    trx: WriteTx | RegistryDatabase['db'],
    actor: Actor,
    works: readonly ValidWork[],
  ): Promise<void> {
    requireScope(actor, 'write');
    if (actor.role === 'operator') return;
    if (actor.role !== 'creator' && actor.role !== 'org-admin') {
      throw new RegistryError('FORBIDDEN', `a ${actor.role} account cannot register works`);
    }
    const controlled = new Set(await controlledRightsHolders(trx, actor));
    const orgs = actor.role === 'org-admin' ? new Set(await adminOrganisations(trx, actor)) : new Set<string>();
    for (const work of works) {
      if (!work.rightsHolders.some((rh) => controlled.has(rh.rightsHolderId))) {
        throw new RegistryError('FORBIDDEN', 'you may register only works of rights holders you act for');
      }
      if (work.organisationId !== undefined && !orgs.has(work.organisationId)) {
        throw new RegistryError('FORBIDDEN', `you do not administer organisation ${work.organisationId}`);
      }
    }
  }

  /** Checks that every rights holder a work names exists. */
  async assertRightsHoldersExist(trx: WriteTx | RegistryDatabase['db'], works: readonly ValidWork[]): Promise<void> {
    const ids = [...new Set(works.flatMap((w) => w.rightsHolders.map((rh) => rh.rightsHolderId)))];
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await trx
        .selectFrom('rights_holders')
        .select('id')
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) found.add(r.id);
    }
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new RegistryError('VALIDATION_FAILED', `unknown rights holder ${missing[0]}`, {
        issues: missing.map((id) => ({ path: 'rightsHolders', message: `unknown rights holder ${id}` })),
      });
    }
  }

  /** Registers a work with its policy, in one transaction with its events; opens disputes on colliding claims. */
  async registerWork(actor: Actor, input: WorkInput): Promise<Work> {
    const data = validate(workInput, input);
    const id = this.deps.newId('w');
    await this.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      await this.assertRightsHoldersExist(trx, [data]);
      await this.assertMayRegister(trx, actor, [data]);
      if (data.externalId !== undefined) {
        const taken = await trx
          .selectFrom('works')
          .select('id')
          .where('external_id', '=', data.externalId)
          .where('organisation_id', data.organisationId === undefined ? 'is' : '=', data.organisationId ?? null)
          .executeTakeFirst();
        if (taken)
          throw new RegistryError('CONFLICT', `external id ${data.externalId} is already used by work ${taken.id}`);
      }
      await writeWorks(trx, this.deps, actor.accountId, [{ id, data }]);
      await openDisputes(trx, this.deps, actor.accountId, [id]);
    });
    return this.getWorkOrThrow(actor, id);
  }

  /** The full record of a work the actor may read, or throws `NOT_FOUND` / `FORBIDDEN`. */
  async getWorkOrThrow(actor: Actor, id: string): Promise<Work> {
    requireScope(actor, 'read');
    const [work] = await loadWorks(this.db, [id]);
    if (!work) throw new RegistryError('NOT_FOUND', `no work ${id}`);
    if (!(await canReadWork(this.db, actor, id)))
      throw new RegistryError(
        'FORBIDDEN',
        `you may not read work ${id}; its public policy is at /v1/works/${id}/policy`,
      );
    return work;
  }

  /** The public view of works, with effective policies (disputes resolved to the most restrictive stance). */
  async getPublicWorks(ids: readonly string[]): Promise<PublicWork[]> {
    const works = await loadWorks(this.db, ids);
    const closure = await disputeClosure(
      this.db,
      works.map((w) => w.id),
    );
    const policies = await this.policiesOf([...new Set([...closure.values()].flat())]);
    return works.map((w) => {
      const related = closure.get(w.id) ?? [w.id];
      const policy = Object.fromEntries(
        USES.map((u) => [u, mostRestrictive(related.map((id) => policies.get(id)?.[u] ?? { kind: 'unknown' }))]),
      ) as Record<Use, Stance>;
      return {
        id: w.id,
        kind: w.kind,
        status: w.status,
        titles: w.titles,
        identifiers: w.identifiers,
        policy,
        updatedAt: w.updatedAt,
      };
    });
  }

  /** The public view of one work, or throws `NOT_FOUND`. */
  async getPublicWorkOrThrow(id: string): Promise<PublicWork> {
    const [work] = await this.getPublicWorks([id]);
    if (!work) throw new RegistryError('NOT_FOUND', `no work ${id}`);
    return work;
  }

  /** The stored policy of each work (not combined across disputes). */
  async policiesOf(workIds: readonly string[]): Promise<Map<string, Record<Use, Stance> & { updatedAt: string }>> {
    const out = new Map<string, Record<Use, Stance> & { updatedAt: string }>();
    for (let i = 0; i < workIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('policies')
        .selectAll()
        .where('work_id', 'in', workIds.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        if (!isUse(row.use)) continue;
        const entry =
          out.get(row.work_id) ?? ({ updatedAt: row.updated_at } as Record<Use, Stance> & { updatedAt: string });
        entry[row.use] = stanceFromRow(row.stance, row.terms);
        if (row.updated_at > entry.updatedAt) entry.updatedAt = row.updated_at;
        out.set(row.work_id, entry);
      }
    }
    return out;
  }

  /**
   * Lists the works the actor may read, newest first, `limit` at a time. Creators and organisation admins see
   * their own; auditors and operators see all; developers use the public policy lookup instead.
   */
  async listWorks(actor: Actor, options: { cursor?: string; limit?: number } = {}): Promise<Page<Work>> {
    requireScope(actor, 'read');
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    let query = this.db.selectFrom('works').select(['id', 'created_at']);
    if (actor.role === 'developer')
      throw new RegistryError('FORBIDDEN', 'developers read public policies: use /v1/check or /v1/works/{id}/policy');
    if (actor.role === 'creator' || actor.role === 'org-admin') {
      const holders = await controlledRightsHolders(this.db, actor);
      if (holders.length === 0) return { items: [] };
      query = query.where(
        'id',
        'in',
        this.db.selectFrom('work_rights_holders').select('work_id').where('rights_holder_id', 'in', holders),
      );
    }
    if (options.cursor) {
      const [createdAt, id] = decodeCursor(options.cursor);
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const items = await loadWorks(
      this.db,
      page.map((r) => r.id),
    );
    const last = page.at(-1);
    return { items, ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.created_at, last.id) } : {}) };
  }

  /**
   * Replaces a work's content (titles, identifiers, rights holders, fingerprints, policy). `expectedVersion`
   * (from If-Match) guards against overwriting a change the caller has not seen.
   */
  async updateWork(actor: Actor, id: string, input: WorkInput, expectedVersion?: number): Promise<Work> {
    requireScope(actor, 'write');
    const data = validate(workInput, input);
    await this.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      const [existing] = await loadWorks(trx, [id]);
      if (!existing) throw new RegistryError('NOT_FOUND', `no work ${id}`);
      if (!(await canWriteWork(trx, actor, id))) throw new RegistryError('FORBIDDEN', `you may not change work ${id}`);
      if (expectedVersion !== undefined && existing.version !== expectedVersion) {
        throw new RegistryError(
          'VERSION_MISMATCH',
          `work ${id} is at version ${existing.version}, not ${expectedVersion}`,
        );
      }
      await this.assertRightsHoldersExist(trx, [data]);
      if (actor.role !== 'operator') {
        await this.assertMayRegister(trx, actor, [data]);
        // Nobody removes a rights holder who has not agreed: co-holders keep each other on, and an organisation
        // never takes a creator with an account off their own work, mandate or not.
        const controlled = await removableRightsHolders(trx, actor);
        const kept = new Set(data.rightsHolders.map((rh) => rh.rightsHolderId));
        const dropped = existing.rightsHolders.find(
          (rh) => !controlled.has(rh.rightsHolderId) && !kept.has(rh.rightsHolderId),
        );
        if (dropped) {
          throw new RegistryError(
            'FORBIDDEN',
            `you may not remove rights holder ${dropped.rightsHolderId} from this work`,
          );
        }
      }
      const keep = { ...data, organisationId: existing.organisationId ?? undefined } as ValidWork;
      await writeWorks(trx, this.deps, actor.accountId, [{ id, data: keep, existing }]);
      await this.recordTermChanges(trx, actor, existing, data.policy);
      await openDisputes(trx, this.deps, actor.accountId, [id]);
    });
    return this.getWorkOrThrow(actor, id);
  }

  /** Sets the stance for one use of a work. */
  async setPolicy(actor: Actor, id: string, use: Use, stanceInput: unknown, expectedVersion?: number): Promise<Work> {
    requireScope(actor, 'write');
    const parsed = validate(policyInput, { [use]: stanceInput });
    const stance = parsed[use] ?? { kind: 'unknown' };
    await this.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      const [existing] = await loadWorks(trx, [id]);
      if (!existing) throw new RegistryError('NOT_FOUND', `no work ${id}`);
      if (!(await canWriteWork(trx, actor, id))) throw new RegistryError('FORBIDDEN', `you may not change work ${id}`);
      if (expectedVersion !== undefined && existing.version !== expectedVersion) {
        throw new RegistryError(
          'VERSION_MISMATCH',
          `work ${id} is at version ${existing.version}, not ${expectedVersion}`,
        );
      }
      const now = this.deps.now().toISOString();
      await trx
        .updateTable('policies')
        .set({
          stance: stance.kind,
          terms: stance.kind === 'license' ? JSON.stringify(stance.terms) : null,
          updated_at: now,
        })
        .where('work_id', '=', id)
        .where('use', '=', use)
        .execute();
      await trx
        .updateTable('works')
        .set({ version: existing.version + 1, updated_at: now })
        .where('id', '=', id)
        .execute();
      await recordEvent(trx, this.deps, {
        type: 'policy.set',
        actorId: actor.accountId,
        subjectType: 'work',
        subjectId: id,
        before: { use, stance: existing.policy[use] },
        after: { use, stance },
      });
      await this.recordTermChanges(trx, actor, existing, { ...existing.policy, [use]: stance });
    });
    return this.getWorkOrThrow(actor, id);
  }

  private async recordTermChanges(
    trx: WriteTx,
    actor: Actor,
    existing: Work,
    policy: Record<Use, Stance>,
  ): Promise<void> {
    for (const use of USES) {
      const before = existing.policy[use];
      const after = policy[use];
      const termsBefore = before.kind === 'license' ? JSON.stringify(before.terms) : null;
      const termsAfter = after.kind === 'license' ? JSON.stringify(after.terms) : null;
      if (termsBefore !== termsAfter) {
        await recordEvent(trx, this.deps, {
          type: 'licence-terms.changed',
          actorId: actor.accountId,
          subjectType: 'work',
          subjectId: existing.id,
          before: { use, terms: before.kind === 'license' ? before.terms : null },
          after: { use, terms: after.kind === 'license' ? after.terms : null },
        });
      }
    }
  }

  /** Disputes the actor may see: all for auditors and operators, those on their own works for others. */
  async listDisputes(actor: Actor, options: { status?: 'open' | 'resolved' } = {}): Promise<Dispute[]> {
    requireScope(actor, 'read');
    let query = this.db.selectFrom('disputes').selectAll();
    if (options.status) query = query.where('status', '=', options.status);
    if (actor.role === 'developer') throw new RegistryError('FORBIDDEN', 'developers cannot list disputes');
    if (actor.role === 'creator' || actor.role === 'org-admin') {
      const holders = await controlledRightsHolders(this.db, actor);
      if (holders.length === 0) return [];
      const mine = this.db.selectFrom('work_rights_holders').select('work_id').where('rights_holder_id', 'in', holders);
      query = query.where((eb) => eb.or([eb('work_id', 'in', mine), eb('other_work_id', 'in', mine)]));
    }
    const rows = await query.orderBy('opened_at', 'desc').orderBy('id').limit(1000).execute();
    return rows.map(toDispute);
  }

  /**
   * Resolves a dispute (operators only): records the resolution, optionally removes the contested claim from the
   * work found not to hold it, and returns each work to `active` when it has no other open dispute.
   */
  async resolveDispute(actor: Actor, id: string, input: z.input<typeof resolveDisputeInput>): Promise<Dispute> {
    requireScope(actor, 'write');
    if (actor.role !== 'operator') throw new RegistryError('FORBIDDEN', 'only an operator resolves disputes');
    const data = validate(resolveDisputeInput, input);
    return this.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      const row = await trx.selectFrom('disputes').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new RegistryError('NOT_FOUND', `no dispute ${id}`);
      if (row.status !== 'open') throw new RegistryError('CONFLICT', `dispute ${id} is already resolved`);
      if (data.removeClaimFrom !== undefined) {
        if (data.removeClaimFrom !== row.work_id && data.removeClaimFrom !== row.other_work_id) {
          throw new RegistryError('VALIDATION_FAILED', 'removeClaimFrom must be one of the two works in the dispute', {
            issues: [{ path: 'removeClaimFrom', message: 'not a party to this dispute' }],
          });
        }
        const separator = row.claim.indexOf(':');
        const [scheme, value] = [row.claim.slice(0, separator), row.claim.slice(separator + 1)];
        if (row.claim_kind === 'identifier') {
          await trx
            .deleteFrom('work_identifiers')
            .where('work_id', '=', data.removeClaimFrom)
            .where('scheme', '=', scheme)
            .where('value', '=', value)
            .execute();
        } else {
          // The claim holds at most the first 200 characters of the value: compare exactly, or on that prefix.
          const claimed = row.claim.slice(separator + 1);
          await trx
            .deleteFrom('fingerprints')
            .where('work_id', '=', data.removeClaimFrom)
            .where('algorithm', '=', scheme)
            .where((eb) =>
              claimed.length < 200 ? eb('value', '=', claimed) : eb(sql<string>`substr(value, 1, 200)`, '=', claimed),
            )
            .execute();
        }
      }
      const now = this.deps.now().toISOString();
      await trx
        .updateTable('disputes')
        .set({ status: 'resolved', resolved_at: now, resolution: data.resolution })
        .where('id', '=', id)
        .execute();
      for (const workId of [row.work_id, row.other_work_id]) {
        const open = await trx
          .selectFrom('disputes')
          .select('id')
          .where('status', '=', 'open')
          .where((eb) => eb.or([eb('work_id', '=', workId), eb('other_work_id', '=', workId)]))
          .executeTakeFirst();
        const current = await trx
          .selectFrom('works')
          .select('version')
          .where('id', '=', workId)
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('works')
          .set({ status: open ? 'disputed' : 'active', version: Number(current.version) + 1, updated_at: now })
          .where('id', '=', workId)
          .execute();
      }
      const resolved = { ...row, status: 'resolved', resolved_at: now, resolution: data.resolution };
      await recordEvent(trx, this.deps, {
        type: 'dispute.resolved',
        actorId: actor.accountId,
        subjectType: 'dispute',
        subjectId: id,
        before: toDispute(row),
        after: toDispute(resolved),
      });
      return toDispute(resolved);
    });
  }
}

function toDispute(row: Selectable<DisputesTable>): Dispute {
  return {
    id: row.id,
    workId: row.work_id,
    otherWorkId: row.other_work_id,
    claimKind: row.claim_kind,
    claim: row.claim,
    status: row.status === 'resolved' ? 'resolved' : 'open',
    openedAt: row.opened_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
}
