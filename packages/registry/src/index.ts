/** `@heoga/registry`: accounts, organisations, rights holders, works, policies, disputes, events and catalog import. */

export { openDatabase, databaseLocation } from './db/open-database.js';
export type { Engine, DatabaseLocation, RegistryDatabase } from './db/open-database.js';
export type { DatabaseSchema, EventRow } from './db/schema.js';

export { RegistryError } from './errors.js';
export type { RegistryErrorCode } from './errors.js';

export { defaultDeps, sha256Hex } from './deps.js';
export type { RegistryDeps } from './deps.js';

export { createRegistry } from './registry.js';
export type { Registry } from './registry.js';

export { ROLES, SCOPES, SELF_SERVICE_ROLES, isRole } from './services/actor.js';
export type { Actor, Role, Scope } from './services/actor.js';

export { SESSION_TTL_MS, API_KEY_CACHE_MS, signUpInput, apiKeyInput } from './services/accounts.js';
export type { Account, NewSession, ApiKeyInfo, SignUpInput, ApiKeyInput } from './services/accounts.js';

export { organisationInput, memberInput, rightsHolderInput } from './services/organisations.js';
export type { Organisation, RightsHolder, Mandate } from './services/organisations.js';

export { WORK_KINDS, CONTRIBUTOR_ROLES, WORK_LIMITS, workInput, policyInput } from './services/work-input.js';
export type { WorkInput, ValidWork, WorkKind } from './services/work-input.js';
export type { Work } from './services/work-store.js';

export { mostRestrictive, resolveDisputeInput } from './services/works.js';
export type { PublicWork, Dispute, Page } from './services/works.js';

export { MAX_CHECK_ITEMS, CHECK_FRESHNESS_MS, checkInput } from './services/check.js';
export { urlPrefixCandidates } from '@heoga/core';
export type { CheckInput, CheckMatch, CheckResult, CheckResponse } from './services/check.js';

export { CATALOG_LIMITS, parseCatalog, toMinorUnits } from './services/catalog-format.js';
export type { CatalogFormat, CatalogRow, CatalogParse } from './services/catalog-format.js';
export { MatchExportService } from './services/match-export.js';
export type { MatchWork } from './services/match-export.js';
export type { ImportOptions, ImportReport, ImportRowError } from './services/import.js';

export type { EventType } from './services/events.js';

export { TransparencyLog, LOG_BATCH, MAX_COSIGNATURES_PER_CHECKPOINT } from './services/transparency-log.js';
export type { LogIdentity, LogEntry, CosignatureInput, StoredCosignature } from './services/transparency-log.js';
