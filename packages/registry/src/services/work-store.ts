import { USES, type Stance, type Use } from '@heoga/core';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import type { RegistryDeps } from '../deps.js';
import { recordEvent, type EventType, type WriteTx } from './events.js';
import type { ValidWork } from './work-input.js';
import { fingerprintValueDigest } from '../db/migrations.js';

/**
 * Bulk reads and writes of works and their parts. Every write takes a batch, so that one registration and a
 * 100,000-row catalog import go through the same code; batches are split to stay under the engines' limits on
 * bound parameters.
 */

/** A work as stored, with its parts. */
export interface Work {
  readonly id: string;
  readonly kind: string;
  readonly status: 'active' | 'disputed';
  readonly version: number;
  readonly externalId: string | null;
  readonly organisationId: string | null;
  readonly titles: readonly { readonly lang: string; readonly title: string }[];
  readonly identifiers: readonly { readonly scheme: string; readonly value: string; readonly display: string }[];
  readonly rightsHolders: readonly {
    readonly rightsHolderId: string;
    readonly name: string;
    readonly role: string;
    readonly share: number;
  }[];
  readonly fingerprints: readonly {
    readonly algorithm: string;
    readonly value: string;
    readonly fileSha256: string | null;
  }[];
  readonly policy: { readonly [U in Use]: Stance };
  readonly policyUpdatedAt: { readonly [U in Use]?: string };
  readonly createdAt: string;
  readonly updatedAt: string;
}

const CHUNK = 400;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function insertAll<T extends keyof DatabaseSchema>(
  trx: WriteTx,
  table: T,
  rows: readonly Record<string, unknown>[],
  columns: number,
): Promise<void> {
  // SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535: stay well below both.
  for (const part of chunks(rows, Math.max(1, Math.floor(20_000 / columns)))) {
    if (part.length > 0)
      await trx
        .insertInto(table)
        .values(part as never)
        .execute();
  }
}

/** A work to write: a new id or an existing work to replace, with its validated content. */
export interface WorkWrite {
  readonly id: string;
  readonly data: ValidWork;
  /** The existing work being replaced (update), or undefined (new). */
  readonly existing?: Work;
}

function stanceTerms(stance: Stance): string | null {
  return stance.kind === 'license' ? JSON.stringify(stance.terms) : null;
}

/**
 * Writes works (new or replacing existing ones) with all their parts, and an event for each, in `trx`.
 * Returns nothing: callers read back what they need.
 */
export async function writeWorks(
  trx: WriteTx,
  deps: RegistryDeps,
  actorId: string,
  writes: readonly WorkWrite[],
): Promise<void> {
  if (writes.length === 0) return;
  const now = deps.now().toISOString();
  const fresh = writes.filter((w) => !w.existing);
  const replaced = writes.filter((w) => w.existing);
  await insertAll(
    trx,
    'works',
    fresh.map((w) => ({
      id: w.id,
      kind: w.data.kind,
      external_id: w.data.externalId ?? null,
      organisation_id: w.data.organisationId ?? null,
      created_by: actorId,
      status: 'active',
      version: 1,
      created_at: now,
      updated_at: now,
    })),
    9,
  );
  for (const w of replaced) {
    await trx
      .updateTable('works')
      .set({
        kind: w.data.kind,
        external_id: w.data.externalId ?? null,
        version: (w.existing?.version ?? 0) + 1,
        updated_at: now,
      })
      .where('id', '=', w.id)
      .execute();
  }
  const replacedIds = replaced.map((w) => w.id);
  for (const part of chunks(replacedIds)) {
    await trx.deleteFrom('work_titles').where('work_id', 'in', part).execute();
    await trx.deleteFrom('work_identifiers').where('work_id', 'in', part).execute();
    await trx.deleteFrom('work_rights_holders').where('work_id', 'in', part).execute();
    await trx.deleteFrom('fingerprints').where('work_id', 'in', part).execute();
    await trx.deleteFrom('policies').where('work_id', 'in', part).execute();
  }
  await insertAll(
    trx,
    'work_titles',
    writes.flatMap((w) => w.data.titles.map((t) => ({ work_id: w.id, lang: t.lang, title: t.title }))),
    3,
  );
  await insertAll(
    trx,
    'work_identifiers',
    writes.flatMap((w) =>
      w.data.identifiers.map((i) => ({ work_id: w.id, scheme: i.scheme, value: i.value, display: i.display })),
    ),
    4,
  );
  await insertAll(
    trx,
    'work_rights_holders',
    writes.flatMap((w) =>
      w.data.rightsHolders.map((rh) => ({
        work_id: w.id,
        rights_holder_id: rh.rightsHolderId,
        role: rh.role,
        share_bp: rh.shareBp,
      })),
    ),
    4,
  );
  await insertAll(
    trx,
    'fingerprints',
    writes.flatMap((w) =>
      w.data.fingerprints.map((f) => ({
        id: deps.newId('fp'),
        work_id: w.id,
        algorithm: f.algorithm,
        value: f.value,
        value_digest: fingerprintValueDigest(f.value),
        file_sha256: f.fileSha256 ?? null,
        created_at: now,
      })),
    ),
    7,
  );
  await insertAll(
    trx,
    'policies',
    writes.flatMap((w) =>
      USES.map((use) => {
        const previous = w.existing?.policy[use];
        const same = previous !== undefined && JSON.stringify(previous) === JSON.stringify(w.data.policy[use]);
        return {
          work_id: w.id,
          use,
          stance: w.data.policy[use].kind,
          terms: stanceTerms(w.data.policy[use]),
          updated_at: same ? (w.existing?.policyUpdatedAt[use] ?? now) : now,
        };
      }),
    ),
    5,
  );
  const events = writes.map((w) => ({
    id: deps.newId('ev'),
    type: (w.existing ? 'work.updated' : 'work.registered') satisfies EventType,
    actor_id: actorId,
    subject_type: 'work',
    subject_id: w.id,
    at: now,
    before: w.existing ? JSON.stringify(summary(w.existing)) : null,
    after: JSON.stringify({ id: w.id, ...summaryOf(w.data) }),
  }));
  await insertAll(trx, 'events', events, 9);
}

function summaryOf(data: ValidWork) {
  return {
    kind: data.kind,
    externalId: data.externalId ?? null,
    titles: data.titles,
    identifiers: data.identifiers.map((i) => `${i.scheme}:${i.value}`),
    rightsHolders: data.rightsHolders.map((rh) => ({ id: rh.rightsHolderId, role: rh.role, share: rh.shareBp / 100 })),
    fingerprints: data.fingerprints.map((f) => ({ algorithm: f.algorithm, fileSha256: f.fileSha256 ?? null })),
    policy: data.policy,
  };
}

function summary(work: Work) {
  return {
    id: work.id,
    kind: work.kind,
    externalId: work.externalId,
    titles: work.titles,
    identifiers: work.identifiers.map((i) => `${i.scheme}:${i.value}`),
    rightsHolders: work.rightsHolders.map((rh) => ({ id: rh.rightsHolderId, role: rh.role, share: rh.share })),
    fingerprints: work.fingerprints.map((f) => ({ algorithm: f.algorithm, fileSha256: f.fileSha256 })),
    policy: work.policy,
  };
}

/** Loads works with all their parts, in the order of `ids` (missing ids are left out). */
export async function loadWorks(db: Kysely<DatabaseSchema>, ids: readonly string[]): Promise<Work[]> {
  if (ids.length === 0) return [];
  const byId = new Map<string, Work>();
  for (const part of chunks([...new Set(ids)])) {
    const [works, titles, identifiers, holders, fingerprints, policies] = await Promise.all([
      db.selectFrom('works').selectAll().where('id', 'in', part).execute(),
      db.selectFrom('work_titles').selectAll().where('work_id', 'in', part).orderBy('lang').execute(),
      db
        .selectFrom('work_identifiers')
        .selectAll()
        .where('work_id', 'in', part)
        .orderBy('scheme')
        .orderBy('value')
        .execute(),
      db
        .selectFrom('work_rights_holders')
        .innerJoin('rights_holders', 'rights_holders.id', 'work_rights_holders.rights_holder_id')
        .select(['work_id', 'rights_holder_id', 'role', 'share_bp', 'rights_holders.name'])
        .where('work_id', 'in', part)
        .orderBy('rights_holder_id')
        .orderBy('role')
        .execute(),
      db
        .selectFrom('fingerprints')
        .selectAll()
        .where('work_id', 'in', part)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db.selectFrom('policies').selectAll().where('work_id', 'in', part).execute(),
    ]);
    for (const w of works) {
      const policy = Object.fromEntries(USES.map((u) => [u, { kind: 'unknown' }])) as Record<Use, Stance>;
      const policyUpdatedAt: Partial<Record<Use, string>> = {};
      for (const p of policies.filter((p) => p.work_id === w.id)) {
        const use = p.use as Use;
        policy[use] = stanceFromRow(p.stance, p.terms);
        policyUpdatedAt[use] = p.updated_at;
      }
      byId.set(w.id, {
        id: w.id,
        kind: w.kind,
        status: w.status === 'disputed' ? 'disputed' : 'active',
        version: Number(w.version),
        externalId: w.external_id,
        organisationId: w.organisation_id,
        titles: titles.filter((t) => t.work_id === w.id).map((t) => ({ lang: t.lang, title: t.title })),
        identifiers: identifiers
          .filter((i) => i.work_id === w.id)
          .map((i) => ({ scheme: i.scheme, value: i.value, display: i.display })),
        rightsHolders: holders
          .filter((h) => h.work_id === w.id)
          .map((h) => ({
            rightsHolderId: h.rights_holder_id,
            name: h.name,
            role: h.role,
            share: Number(h.share_bp) / 100,
          })),
        fingerprints: fingerprints
          .filter((f) => f.work_id === w.id)
          .map((f) => ({ algorithm: f.algorithm, value: f.value, fileSha256: f.file_sha256 })),
        policy,
        policyUpdatedAt,
        createdAt: w.created_at,
        updatedAt: w.updated_at,
      });
    }
  }
  return ids.flatMap((id) => {
    const w = byId.get(id);
    return w ? [w] : [];
  });
}

/** A stored stance back to the core's type. */
export function stanceFromRow(stance: string, terms: string | null): Stance {
  if (stance === 'license' && terms) return { kind: 'license', terms: JSON.parse(terms) as never };
  if (stance === 'allow' || stance === 'deny') return { kind: stance };
  return { kind: 'unknown' };
}

/** A claim that collided: the new work and the earlier one holding the same identifier or fingerprint. */
interface Collision {
  readonly workId: string;
  readonly otherWorkId: string;
  readonly claimKind: 'identifier' | 'fingerprint';
  readonly claim: string;
}

/**
 * Finds identifiers and fingerprints of `workIds` that other works already hold with no rights holder in common,
 * opens a dispute for each new collision, and marks both works disputed: until resolved, the most restrictive
 * stance of the two applies (the check combines both works' policies).
 */
export async function openDisputes(
  trx: WriteTx,
  deps: RegistryDeps,
  actorId: string,
  workIds: readonly string[],
): Promise<number> {
  const collisions: Collision[] = [];
  for (const part of chunks(workIds)) {
    const idHits = await trx
      .selectFrom('work_identifiers as mine')
      .innerJoin('work_identifiers as theirs', (join) =>
        join
          .onRef('theirs.scheme', '=', 'mine.scheme')
          .onRef('theirs.value', '=', 'mine.value')
          .onRef('theirs.work_id', '!=', 'mine.work_id'),
      )
      .select(['mine.work_id as workId', 'theirs.work_id as otherWorkId', 'mine.scheme', 'mine.value'])
      .where('mine.work_id', 'in', part)
      .execute();
    for (const hit of idHits)
      collisions.push({
        workId: hit.workId,
        otherWorkId: hit.otherWorkId,
        claimKind: 'identifier',
        claim: `${hit.scheme}:${hit.value}`,
      });
    const fpHits = await trx
      .selectFrom('fingerprints as mine')
      .innerJoin('fingerprints as theirs', (join) =>
        join
          .onRef('theirs.algorithm', '=', 'mine.algorithm')
          .onRef('theirs.value_digest', '=', 'mine.value_digest')
          .onRef('theirs.work_id', '!=', 'mine.work_id'),
      )
      .select(['mine.work_id as workId', 'theirs.work_id as otherWorkId', 'mine.algorithm', 'mine.value'])
      .where('mine.work_id', 'in', part)
      .execute();
    for (const hit of fpHits)
      collisions.push({
        workId: hit.workId,
        otherWorkId: hit.otherWorkId,
        claimKind: 'fingerprint',
        claim: `${hit.algorithm}:${hit.value.slice(0, 200)}`,
      });
  }
  if (collisions.length === 0) return 0;
  const involved = [...new Set(collisions.flatMap((c) => [c.workId, c.otherWorkId]))];
  const holders = new Map<string, Set<string>>();
  for (const part of chunks(involved)) {
    const rows = await trx
      .selectFrom('work_rights_holders')
      .select(['work_id', 'rights_holder_id'])
      .where('work_id', 'in', part)
      .execute();
    for (const r of rows) {
      const set = holders.get(r.work_id) ?? new Set<string>();
      set.add(r.rights_holder_id);
      holders.set(r.work_id, set);
    }
  }
  const now = deps.now().toISOString();
  let opened = 0;
  const seen = new Set<string>();
  for (const c of collisions) {
    const mine = holders.get(c.workId) ?? new Set<string>();
    const theirs = holders.get(c.otherWorkId) ?? new Set<string>();
    // The same rights holder registering twice is a duplicate, not a dispute.
    if ([...mine].some((h) => theirs.has(h))) continue;
    const pair = [c.workId, c.otherWorkId].sort().join('|');
    const key = `${pair}|${c.claimKind}|${c.claim}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const existing = await trx
      .selectFrom('disputes')
      .select('id')
      .where('status', '=', 'open')
      .where('claim', '=', c.claim)
      .where((eb) =>
        eb.or([
          eb.and([eb('work_id', '=', c.workId), eb('other_work_id', '=', c.otherWorkId)]),
          eb.and([eb('work_id', '=', c.otherWorkId), eb('other_work_id', '=', c.workId)]),
        ]),
      )
      .executeTakeFirst();
    if (existing) continue;
    const id = deps.newId('dsp');
    await trx
      .insertInto('disputes')
      .values({
        id,
        work_id: c.workId,
        other_work_id: c.otherWorkId,
        claim_kind: c.claimKind,
        claim: c.claim,
        status: 'open',
        opened_at: now,
        resolved_at: null,
        resolution: null,
      })
      .execute();
    await trx.updateTable('works').set({ status: 'disputed' }).where('id', 'in', [c.workId, c.otherWorkId]).execute();
    await recordEvent(trx, deps, {
      type: 'dispute.opened',
      actorId,
      subjectType: 'dispute',
      subjectId: id,
      after: { id, workId: c.workId, otherWorkId: c.otherWorkId, claimKind: c.claimKind, claim: c.claim },
    });
    opened += 1;
  }
  return opened;
}

/** Every work in an open dispute with one of `workIds`, including those works themselves. */
export async function disputeClosure(
  db: Kysely<DatabaseSchema>,
  workIds: readonly string[],
): Promise<Map<string, string[]>> {
  const partners = new Map<string, string[]>(workIds.map((id) => [id, [id]]));
  for (const part of chunks(workIds)) {
    const rows = await db
      .selectFrom('disputes')
      .select(['work_id', 'other_work_id'])
      .where('status', '=', 'open')
      .where((eb) => eb.or([eb('work_id', 'in', part), eb('other_work_id', 'in', part)]))
      .execute();
    for (const r of rows) {
      partners.get(r.work_id)?.push(r.other_work_id);
      partners.get(r.other_work_id)?.push(r.work_id);
    }
  }
  return partners;
}
