import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import pg from 'pg';
import { RegistryError } from '../errors.js';
import { RegistryMigrations } from './migrations.js';
import type { DatabaseSchema } from './schema.js';

/** The two storage engines behind the registry's one seam. */
export type Engine = 'sqlite' | 'postgres';

/** Where the registry keeps its data. */
export type DatabaseLocation =
  | { readonly engine: 'sqlite'; readonly file: string }
  | { readonly engine: 'postgres'; readonly url: string; readonly schema?: string; readonly poolSize?: number };

/** An open registry database: the Kysely instance and which engine is behind it. */
export interface RegistryDatabase {
  readonly db: Kysely<DatabaseSchema>;
  readonly engine: Engine;
  /** How many writes (insert, update, delete) this process has run: caches compare it to see local changes. */
  writes(): number;
  close(): Promise<void>;
}

/** Counts the writes this process runs, so that read caches notice their own process's changes at once. */
class WriteCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const kind = args.node.kind;
    if (kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode') this.count += 1;
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/**
 * Where the data goes by default: PostgreSQL when `databaseUrl` is set, else SQLite in `dataDir/heoga.sqlite`.
 *
 * @example
 * ```ts
 * databaseLocation({ dataDir: './data' }) // { engine: 'sqlite', file: 'data/heoga.sqlite' }
 * ```
 */
export function databaseLocation(options: { dataDir: string; databaseUrl?: string | undefined }): DatabaseLocation {
  if (options.databaseUrl) return { engine: 'postgres', url: options.databaseUrl };
  return { engine: 'sqlite', file: join(options.dataDir, 'heoga.sqlite') };
}

// PostgreSQL int8 (events.seq, counts) comes back as text by default; our values stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** How many prepared SQLite statements to keep (the hot paths use a few dozen distinct statements). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 compiles SQL on every `prepare`, and Kysely prepares every query: keep compiled statements by SQL
 * text, least recently used out first. Safe because Kysely runs one query at a time on the connection.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver) as unknown;
      return (sql: string) => {
        let statement = cache.get(sql);
        if (statement) {
          cache.delete(sql);
        } else {
          statement = target.prepare(sql);
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        }
        cache.set(sql, statement);
        return statement;
      };
    },
  });
}

/**
 * Opens (creating if needed) the registry database and brings its schema up to date.
 *
 * SQLite runs in WAL mode with foreign keys on and `synchronous=NORMAL`: a committed transaction survives a crash
 * of the process (kill -9); only a power failure could lose the last few. PostgreSQL can use a dedicated schema
 * (tests use one per file).
 */
export async function openDatabase(location: DatabaseLocation): Promise<RegistryDatabase> {
  let db: Kysely<DatabaseSchema>;
  const counter = new WriteCounter();
  if (location.engine === 'sqlite') {
    mkdirSync(join(location.file, '..'), { recursive: true });
    const sqlite = new SqliteDatabase(location.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<DatabaseSchema>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      plugins: [counter],
    });
  } else {
    const schema = location.schema;
    const pool = new pg.Pool({
      connectionString: location.url,
      max: location.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }), plugins: [counter] });
    if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  }
  // Kysely looks for its migration tables in every schema unless told which: name ours, so that another schema's
  // tables (a second registry, a parallel test) are not taken for this one's.
  const migrationTableSchema = location.engine === 'postgres' ? location.schema : undefined;
  const migrator = new Migrator({
    db,
    provider: new RegistryMigrations(location.engine),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw new RegistryError('STORAGE_FAILED', 'could not bring the database schema up to date', { cause: error });
  }
  return { db, engine: location.engine, writes: () => counter.count, close: () => db.destroy() };
}
