import type { RegistryDatabase } from './db/open-database.js';
import type { RegistryDeps } from './deps.js';
import { AccountService } from './services/accounts.js';
import { CheckService } from './services/check.js';
import { ImportService } from './services/import.js';
import { MatchExportService } from './services/match-export.js';
import { OrganisationService } from './services/organisations.js';
import { TransparencyLog, type LogIdentity } from './services/transparency-log.js';
import { WorkService } from './services/works.js';

/** The registry: every service over one database. Built once at the edge and passed down. */
export interface Registry {
  readonly database: RegistryDatabase;
  readonly deps: RegistryDeps;
  readonly accounts: AccountService;
  readonly organisations: OrganisationService;
  readonly works: WorkService;
  readonly check: CheckService;
  readonly imports: ImportService;
  /** The match data an index snapshot is built from (issue 5). */
  readonly matchData: MatchExportService;
  /** The transparency log, when the registry was given a log identity (signing key). */
  readonly log: TransparencyLog | undefined;
}

/**
 * Builds the registry's services over an open database.
 *
 * @example
 * ```ts
 * const database = await openDatabase({ engine: 'sqlite', file: './data/heoga.sqlite' });
 * const registry = createRegistry(database, defaultDeps('http://localhost:8080'));
 * ```
 */
export function createRegistry(
  database: RegistryDatabase,
  deps: RegistryDeps,
  options: { log?: LogIdentity } = {},
): Registry {
  const works = new WorkService(database, deps);
  return {
    database,
    deps,
    accounts: new AccountService(database, deps),
    organisations: new OrganisationService(database, deps),
    works,
    check: new CheckService(database, deps),
    imports: new ImportService(database, deps),
    matchData: new MatchExportService(database, deps),
    log: options.log ? new TransparencyLog(database, deps, options.log) : undefined,
  };
}
