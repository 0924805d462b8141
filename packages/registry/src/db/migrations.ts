import { createHash } from 'node:crypto';
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Engine } from './open-database.js';

/**
 * Versioned migrations, the same for both engines but where a type differs (`seq` is an identity column on
 * PostgreSQL and an autoincrement rowid on SQLite). Never edit a migration that has shipped: add a new one.
 */
function migrations(engine: Engine): Record<string, Migration> {
  return {
    '0001-registry': {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable('accounts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createTable('rights_holders')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rights_holders_account').on('rights_holders').column('account_id').execute();
        await db.schema
          .createTable('organisations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('rights_holder_id', 'text', (c) => c.notNull().references('rights_holders.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('memberships')
          .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('memberships_pk', ['organisation_id', 'account_id'])
          .execute();
        await db.schema.createIndex('memberships_account').on('memberships').column('account_id').execute();
        await db.schema
          .createTable('mandates')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('rights_holder_id', 'text', (c) => c.notNull().references('rights_holders.id'))
          .addColumn('granted_by', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();
        await db.schema
          .createIndex('mandates_holder')
          .on('mandates')
          .columns(['rights_holder_id', 'organisation_id'])
          .execute();
        await db.schema
          .createTable('works')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text')
          .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
          .addColumn('created_by', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('works_external_id')
          .on('works')
          .columns(['organisation_id', 'external_id'])
          .unique()
          .execute();
        await db.schema
          .createTable('work_titles')
          .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
          .addColumn('lang', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('work_titles_pk', ['work_id', 'lang'])
          .execute();
        await db.schema
          .createTable('work_identifiers')
          .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
          .addColumn('scheme', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('display', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('work_identifiers_pk', ['work_id', 'scheme', 'value'])
          .execute();
        await db.schema
          .createIndex('work_identifiers_lookup')
          .on('work_identifiers')
          .columns(['scheme', 'value'])
          .execute();
        await db.schema
          .createTable('work_rights_holders')
          .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
          .addColumn('rights_holder_id', 'text', (c) => c.notNull().references('rights_holders.id'))
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('share_bp', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('work_rights_holders_pk', ['work_id', 'rights_holder_id', 'role'])
          .execute();
        await db.schema
          .createIndex('work_rights_holders_holder')
          .on('work_rights_holders')
          .column('rights_holder_id')
          .execute();
        await db.schema
          .createTable('fingerprints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
          .addColumn('algorithm', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('file_sha256', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('fingerprints_value').on('fingerprints').columns(['algorithm', 'value']).execute();
        await db.schema.createIndex('fingerprints_file').on('fingerprints').column('file_sha256').execute();
        await db.schema.createIndex('fingerprints_work').on('fingerprints').column('work_id').execute();
        await db.schema
          .createTable('policies')
          .addColumn('work_id', 'text', (c) => c.notNull().references('works.id').onDelete('cascade'))
          .addColumn('use', 'text', (c) => c.notNull())
          .addColumn('stance', 'text', (c) => c.notNull())
          .addColumn('terms', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('policies_pk', ['work_id', 'use'])
          .execute();
        await db.schema
          .createTable('disputes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('work_id', 'text', (c) => c.notNull().references('works.id'))
          .addColumn('other_work_id', 'text', (c) => c.notNull().references('works.id'))
          .addColumn('claim_kind', 'text', (c) => c.notNull())
          .addColumn('claim', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('resolution', 'text')
          .execute();
        await db.schema.createIndex('disputes_work').on('disputes').columns(['work_id', 'status']).execute();
        await db.schema.createIndex('disputes_other').on('disputes').columns(['other_work_id', 'status']).execute();
        await db.schema
          .createTable('events')
          .addColumn('seq', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
            engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('subject_type', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .execute();
        await db.schema.createIndex('events_subject').on('events').columns(['subject_type', 'subject_id']).execute();
        // The event table is append-only: the database itself refuses updates and deletes.
        if (engine === 'postgres') {
          await sql`CREATE FUNCTION heoga_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'events are append-only'; END $$`.execute(db);
          await sql`CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION heoga_events_append_only()`.execute(db);
        } else {
          await sql`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`.execute(db);
          await sql`CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`.execute(db);
        }
        await db.schema
          .createTable('imports')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
          .addColumn('actor_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('file_sha256', 'text', (c) => c.notNull())
          .addColumn('rows_total', 'integer', (c) => c.notNull())
          .addColumn('rows_imported', 'integer', (c) => c.notNull())
          .addColumn('rows_rejected', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002-transparency-log': {
      async up(db: Kysely<unknown>): Promise<void> {
        const big = engine === 'postgres' ? 'bigint' : 'integer';
        // One row per log entry: the event it records (exactly once), its canonical JSON and leaf hash.
        await db.schema
          .createTable('log_entries')
          .addColumn('idx', big, (c) => c.primaryKey())
          .addColumn('event_id', 'text', (c) => c.notNull().unique())
          .addColumn('event_seq', big, (c) => c.notNull().unique())
          .addColumn('subject_type', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull())
          .addColumn('entry', 'text', (c) => c.notNull())
          .addColumn('appended_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('log_entries_subject')
          .on('log_entries')
          .columns(['subject_type', 'subject_id'])
          .execute();
        // Every complete subtree hash (level 0 = leaf hashes): proofs read O(log n) of them by key.
        await db.schema
          .createTable('log_nodes')
          .addColumn('level', 'integer', (c) => c.notNull())
          .addColumn('idx', big, (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('log_nodes_pk', ['level', 'idx'])
          .execute();
        // The signed checkpoint for each tree size the log has published.
        await db.schema
          .createTable('log_checkpoints')
          .addColumn('size', big, (c) => c.primaryKey())
          .addColumn('root_hash', 'text', (c) => c.notNull())
          .addColumn('note', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0003-log-cosignatures': {
      async up(db: Kysely<unknown>): Promise<void> {
        const big = engine === 'postgres' ? 'bigint' : 'integer';
        // Witness cosignatures (C2SP tlog-cosignature), verified before they are stored: one per checkpoint and key.
        await db.schema
          .createTable('log_cosignatures')
          .addColumn('size', big, (c) => c.notNull().references('log_checkpoints.size'))
          .addColumn('key_name', 'text', (c) => c.notNull())
          .addColumn('key_id', big, (c) => c.notNull())
          .addColumn('witness_key', 'text', (c) => c.notNull())
          .addColumn('signature', 'text', (c) => c.notNull())
          .addColumn('witnessed_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('log_cosignatures_pk', ['size', 'key_name', 'key_id'])
          .execute();
      },
    },
    '0004-fingerprint-digests': {
      async up(db: Kysely<unknown>): Promise<void> {
        // Fingerprint values grow with the work (a novel's winnowing fingerprints are hundreds of kilobytes), which a
        // B-tree index cannot hold (PostgreSQL refuses index rows over about 2.7 kB). Equal values are found through
        // the SHA-256 of the value instead.
        await db.schema.alterTable('fingerprints').addColumn('value_digest', 'text').execute();
        await backfillFingerprintDigests(db);
        await db.schema.dropIndex('fingerprints_value').execute();
        await db.schema
          .createIndex('fingerprints_digest')
          .on('fingerprints')
          .columns(['algorithm', 'value_digest'])
          .execute();
      },
    },
  };
}

/**
 * Fills `fingerprints.value_digest` where it is missing (migration 0004), a thousand rows at a time so that memory
 * stays bounded whatever the table's size. Returns how many rows it filled.
 */
export async function backfillFingerprintDigests(db: Kysely<unknown>): Promise<number> {
  const typed = db as unknown as Kysely<{ fingerprints: { id: string; value: string; value_digest: string | null } }>;
  let filled = 0;
  for (;;) {
    const rows = await typed
      .selectFrom('fingerprints')
      .select(['id', 'value'])
      .where('value_digest', 'is', null)
      .limit(1000)
      .execute();
    if (rows.length === 0) return filled;
    for (const row of rows) {
      await typed
        .updateTable('fingerprints')
        .set({ value_digest: fingerprintValueDigest(row.value) })
        .where('id', '=', row.id)
        .execute();
    }
    filled += rows.length;
  }
}

/**
 * The SHA-256 (hex) of a fingerprint's stored value, by which equal fingerprints are found (`fingerprints_digest`).
 *
 * @example
 * ```ts
 * fingerprintValueDigest('d8f8…9b22:100') // '5e1c…'
 * ```
 */
export function fingerprintValueDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Supplies the migrations to Kysely's `Migrator`. */
export class RegistryMigrations implements MigrationProvider {
  constructor(private readonly engine: Engine) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.engine));
  }
}
