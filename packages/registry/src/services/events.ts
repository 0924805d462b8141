import { sql, type Transaction } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import type { Engine } from '../db/open-database.js';
import type { RegistryDeps } from '../deps.js';

/** The kinds of change the registry records (the transparency log turns each into a log entry). */
export type EventType =
  | 'account.created'
  | 'organisation.created'
  | 'membership.added'
  | 'rights-holder.created'
  | 'mandate.granted'
  | 'mandate.revoked'
  | 'work.registered'
  | 'work.updated'
  | 'policy.set'
  | 'licence-terms.changed'
  | 'dispute.opened'
  | 'dispute.resolved'
  | 'catalog.imported';

/** A change to record, in the same transaction as the change itself. */
export interface EventInput {
  readonly type: EventType;
  readonly actorId: string | null;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A write transaction that records events as it goes. */
export type WriteTx = Transaction<DatabaseSchema>;

/**
 * Records `event` in `trx`. Events commit or roll back with the change they describe, so none is lost and none
 * describes a change that did not happen.
 */
export async function recordEvent(trx: WriteTx, deps: RegistryDeps, event: EventInput): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      id: deps.newId('ev'),
      type: event.type,
      actor_id: event.actorId,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      at: deps.now().toISOString(),
      before: event.before === undefined ? null : JSON.stringify(event.before),
      after: event.after === undefined ? null : JSON.stringify(event.after),
    })
    .execute();
}

/**
 * Starts every write transaction. On PostgreSQL it first takes a transaction-scoped advisory lock, so writers that
 * record events commit one after another and `events.seq` values become visible in order: a reader that consumes
 * events by `seq` can never skip one that commits late. SQLite has a single writer already.
 */
export async function beginWrite(trx: WriteTx, engine: Engine): Promise<void> {
  if (engine === 'postgres') await sql`SELECT pg_advisory_xact_lock(7041992)`.execute(trx);
}
