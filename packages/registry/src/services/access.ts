import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { RegistryError } from '../errors.js';
import type { Actor, Scope } from './actor.js';

/**
 * Who may do what (issue: authorization on every route). One place, used by every service:
 * - a creator reads and changes only works on which a rights holder they speak for appears;
 * - an organisation admin reads and changes only works of rights holders that gave one of their organisations a
 *   mandate (or of the organisation itself): when a mandate is withdrawn, so is the control, catalog or not;
 * - a developer reads public policy data only;
 * - an auditor reads everything and changes nothing;
 * - an operator may do everything.
 * API keys are further limited by their scopes.
 */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.includes(scope)) {
    throw new RegistryError('FORBIDDEN', `this credential lacks the '${scope}' scope`);
  }
}

/** The organisations the actor administers. */
export async function adminOrganisations(db: Kysely<DatabaseSchema>, actor: Actor): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('organisation_id')
    .where('account_id', '=', actor.accountId)
    .where('role', '=', 'admin')
    .execute();
  return rows.map((r) => r.organisation_id);
}

/** The rights holders the actor may act for: their own (creator) or those under an active mandate (org admin). */
export async function controlledRightsHolders(db: Kysely<DatabaseSchema>, actor: Actor): Promise<string[]> {
  if (actor.role === 'creator') {
    const rows = await db.selectFrom('rights_holders').select('id').where('account_id', '=', actor.accountId).execute();
    return rows.map((r) => r.id);
  }
  if (actor.role === 'org-admin') {
    const orgs = await adminOrganisations(db, actor);
    if (orgs.length === 0) return [];
    const mandated = await db
      .selectFrom('mandates')
      .select('rights_holder_id')
      .where('organisation_id', 'in', orgs)
      .where('revoked_at', 'is', null)
      .execute();
    const own = await db.selectFrom('organisations').select('rights_holder_id').where('id', 'in', orgs).execute();
    return [...new Set([...mandated.map((r) => r.rights_holder_id), ...own.map((r) => r.rights_holder_id)])];
  }
  return [];
}

/** True when the actor may read the full record of `workId` (not just its public policy). */
export async function canReadWork(db: Kysely<DatabaseSchema>, actor: Actor, workId: string): Promise<boolean> {
  if (actor.role === 'operator' || actor.role === 'auditor') return true;
  return controlsWork(db, actor, workId);
}

/** True when the actor may change `workId`. */
export async function canWriteWork(db: Kysely<DatabaseSchema>, actor: Actor, workId: string): Promise<boolean> {
  if (actor.role === 'operator') return true;
  if (actor.role === 'auditor' || actor.role === 'developer') return false;
  return controlsWork(db, actor, workId);
}

async function controlsWork(db: Kysely<DatabaseSchema>, actor: Actor, workId: string): Promise<boolean> {
  if (actor.role !== 'creator' && actor.role !== 'org-admin') return false;
  const holders = await controlledRightsHolders(db, actor);
  if (holders.length > 0) {
    const hit = await db
      .selectFrom('work_rights_holders')
      .select('work_id')
      .where('work_id', '=', workId)
      .where('rights_holder_id', 'in', holders)
      .executeTakeFirst();
    if (hit) return true;
  }
  return false;
}

/**
 * The rights holders the actor may take off a work: a creator only themself; an organisation admin the
 * organisation itself and the holders it represents that have no account of their own — never a creator who
 * speaks for themself, even under a mandate.
 */
export async function removableRightsHolders(db: Kysely<DatabaseSchema>, actor: Actor): Promise<Set<string>> {
  const controlled = await controlledRightsHolders(db, actor);
  if (actor.role !== 'org-admin' || controlled.length === 0) return new Set(controlled);
  const withoutAccount = await db
    .selectFrom('rights_holders')
    .select('id')
    .where('id', 'in', controlled)
    .where('account_id', 'is', null)
    .execute();
  return new Set(withoutAccount.map((r) => r.id));
}
