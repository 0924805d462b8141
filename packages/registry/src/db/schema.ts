import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * The registry's tables, as Kysely sees them. The same schema on SQLite and PostgreSQL: times are RFC 3339 UTC
 * strings (`2026-11-25T09:00:00.000Z`, so text order is time order), JSON values are text, shares are integer basis
 * points (10,000 = 100 %), money is integer minor units.
 */
export interface DatabaseSchema {
  accounts: AccountsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  organisations: OrganisationsTable;
  memberships: MembershipsTable;
  rights_holders: RightsHoldersTable;
  mandates: MandatesTable;
  works: WorksTable;
  work_titles: WorkTitlesTable;
  work_identifiers: WorkIdentifiersTable;
  work_rights_holders: WorkRightsHoldersTable;
  fingerprints: FingerprintsTable;
  policies: PoliciesTable;
  disputes: DisputesTable;
  events: EventsTable;
  imports: ImportsTable;
  log_entries: LogEntriesTable;
  log_nodes: LogNodesTable;
  log_checkpoints: LogCheckpointsTable;
  log_cosignatures: LogCosignaturesTable;
}

export interface LogEntriesTable {
  /** The leaf index in the Merkle tree, from 0. */
  idx: number;
  event_id: string;
  event_seq: number;
  subject_type: string;
  subject_id: string;
  /** The canonical JSON of the entry: the exact bytes hashed into the leaf. */
  entry: string;
  appended_at: string;
}

export interface LogNodesTable {
  level: number;
  idx: number;
  /** Hex SHA-256 of the complete subtree (level 0: the leaf hash). */
  hash: string;
}

export interface LogCheckpointsTable {
  size: number;
  root_hash: string;
  /** The signed note (C2SP tlog-checkpoint). */
  note: string;
  created_at: string;
}

/** A witness's verified cosignature (C2SP tlog-cosignature) on one published checkpoint. */
export interface LogCosignaturesTable {
  /** The checkpoint's tree size (log_checkpoints.size). */
  size: number;
  /** The witness key's name and key ID (uint32), as in the signature line. */
  key_name: string;
  key_id: number;
  /** The witness's verifier key string (`name+keyid+base64`), so a second key with the same name and ID is told apart. */
  witness_key: string;
  /** The whole signature line, `— <name> <base64>`, without its newline. */
  signature: string;
  /** The time the witness cosigned (from the cosignature), RFC 3339. */
  witnessed_at: string;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  email: string;
  display_name: string;
  role: string;
  password_hash: string | null;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  token_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: string;
  /** The first characters of the key, shown to people to tell keys apart. */
  prefix: string;
  /** SHA-256 (hex) of the whole key. */
  key_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  /** The organisation as a rights holder (publisher, producer…). */
  rights_holder_id: string;
  created_at: string;
}

export interface MembershipsTable {
  organisation_id: string;
  account_id: string;
  /** `admin` or `member`. */
  role: string;
  created_at: string;
}

export interface RightsHoldersTable {
  id: string;
  /** `person` or `organisation`. */
  kind: string;
  name: string;
  /** The account that speaks for this rights holder (a creator), if any. */
  account_id: string | null;
  created_at: string;
}

export interface MandatesTable {
  id: string;
  organisation_id: string;
  rights_holder_id: string;
  granted_by: string;
  created_at: string;
  revoked_at: string | null;
}

export interface WorksTable {
  id: string;
  kind: string;
  /** The organisation's own id for the work (catalog import), unique per organisation. */
  external_id: string | null;
  organisation_id: string | null;
  created_by: string;
  /** `active` or `disputed`. */
  status: string;
  /** Incremented on every change; the ETag. */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkTitlesTable {
  work_id: string;
  lang: string;
  title: string;
}

export interface WorkIdentifiersTable {
  work_id: string;
  scheme: string;
  /** The normalised value (see @heoga/core identifiers). */
  value: string;
  display: string;
}

export interface WorkRightsHoldersTable {
  work_id: string;
  rights_holder_id: string;
  role: string;
  /** Basis points; a work's shares add up to 10,000. */
  share_bp: number;
}

export interface FingerprintsTable {
  id: string;
  work_id: string;
  /** The algorithm (`sha256`, `pdq/1`, `winnow-c13-w16/1`…; docs/fingerprints.md); unknown names are stored opaquely. */
  algorithm: string;
  /** The fingerprint itself, as text; values of heoga's algorithms are checked with core's parsers on the way in. */
  value: string;
  /** SHA-256 (hex) of `value`: equal fingerprints are found by it (values are too long for an index). */
  value_digest: string | null;
  /** SHA-256 (hex) of the file the fingerprint was computed from, if known. */
  file_sha256: string | null;
  created_at: string;
}

export interface PoliciesTable {
  work_id: string;
  use: string;
  /** `allow`, `deny`, `license` or `unknown`. */
  stance: string;
  /** JSON licence terms when the stance is `license`. */
  terms: string | null;
  updated_at: string;
}

export interface DisputesTable {
  id: string;
  /** The work whose registration collided with an earlier one. */
  work_id: string;
  /** The earlier work holding the same identifier or fingerprint. */
  other_work_id: string;
  /** `identifier` or `fingerprint`. */
  claim_kind: string;
  /** The identifier (`scheme:value`) or fingerprint value both claim. */
  claim: string;
  /** `open` or `resolved`. */
  status: string;
  opened_at: string;
  resolved_at: string | null;
  resolution: string | null;
}

export interface EventsTable {
  /** Commit order: assigned in the writing transaction; the transparency log reads events in this order. */
  seq: Generated<number>;
  id: string;
  type: string;
  actor_id: string | null;
  subject_type: string;
  subject_id: string;
  at: string;
  /** JSON of the subject before the change (null when created). */
  before: string | null;
  /** JSON of the subject after the change (null when deleted). */
  after: string | null;
}

export interface ImportsTable {
  id: string;
  organisation_id: string;
  actor_id: string;
  /** SHA-256 (hex) of the imported file. */
  file_sha256: string;
  rows_total: number;
  rows_imported: number;
  rows_rejected: number;
  created_at: string;
}

export type AccountRow = Selectable<AccountsTable>;
export type WorkRow = Selectable<WorksTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;
