import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import type { RegistryDatabase } from '../db/open-database.js';
import type { AccountRow } from '../db/schema.js';
import { sha256Hex, type RegistryDeps } from '../deps.js';
import { RegistryError } from '../errors.js';
import { isRole, SCOPES, SELF_SERVICE_ROLES, type Actor, type Role, type Scope } from './actor.js';
import { beginWrite, recordEvent } from './events.js';
import { validate } from './validate.js';

/** How long a web session lasts. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** An account as callers see it (never the password hash). */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly createdAt: string;
  /** The person rights holder of a creator account. */
  readonly rightsHolderId?: string;
}

/** A new session: the token for the cookie and the CSRF token the web app echoes on writes. */
export interface NewSession {
  readonly token: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
  readonly account: Account;
}

/** An API key as listed: never the key itself. */
export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

// Argon2id (the package's const enum value 2) with OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const signUpInput = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
  password: z.string().min(10, 'at least 10 characters').max(1024),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(['creator', 'org-admin', 'developer', 'auditor', 'operator']),
});
export type SignUpInput = z.input<typeof signUpInput>;

export const apiKeyInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
});
export type ApiKeyInput = z.input<typeof apiKeyInput>;

function toAccount(row: AccountRow, rightsHolderId?: string): Account {
  if (!isRole(row.role)) throw new RegistryError('STORAGE_FAILED', `account ${row.id} has an unknown role`);
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at,
    ...(rightsHolderId ? { rightsHolderId } : {}),
  };
}

/** How long a resolved API key is trusted without asking the database again (revocation in this process is immediate). */
export const API_KEY_CACHE_MS = 10_000;

/** The longest API key looked up; anything longer is refused without hashing it. */
const API_KEY_MAX_LENGTH = 200;

/** Beyond this many cached API keys the cache starts again (bounded memory, also against floods of unknown keys). */
const API_KEY_CACHE_ENTRIES = 10_000;

interface ApiKeyCacheEntry {
  readonly actor: Actor | undefined;
  /** When (ms since the epoch, the registry's clock) the answer stops being trusted. */
  readonly until: number;
  /** The key's SHA-256, as stored: revocation finds the entry by it. */
  readonly keyHash: string;
}

/** Accounts, passwords, sessions and API keys. */
export class AccountService {
  // API keys are looked up on every request: keep recent answers briefly. Keyed by the presented key itself, so that
  // a cached key costs one map lookup and no SHA-256 (the key is in this process's memory with every request
  // anyway); each entry keeps the key's hash, which is what revocation knows the key by.
  private readonly keyCache = new Map<string, ApiKeyCacheEntry>();
  // Counts this process's revocations, so that a lookup that overlapped one is not cached.
  private revocations = 0;

  constructor(
    private readonly database: RegistryDatabase,
    private readonly deps: RegistryDeps,
  ) {}

  /**
   * Creates an account. Anyone may sign up as a creator, organisation admin or developer; auditors and operators
   * are created by an operator (`by`) or locally (`by` undefined with `trusted`). A creator gets a person rights
   * holder in the same transaction.
   */
  async signUp(input: SignUpInput, options: { by?: Actor; trusted?: boolean } = {}): Promise<Account> {
    const data = validate(signUpInput, input);
    if (!SELF_SERVICE_ROLES.includes(data.role) && !options.trusted && options.by?.role !== 'operator') {
      throw new RegistryError('FORBIDDEN', `only an operator can create ${data.role} accounts`);
    }
    const passwordHash = await hash(data.password, ARGON2);
    const now = this.deps.now().toISOString();
    const id = this.deps.newId('acct');
    return this.database.db.transaction().execute(async (trx) => {
      await beginWrite(trx, this.database.engine);
      const taken = await trx.selectFrom('accounts').select('id').where('email', '=', data.email).executeTakeFirst();
      if (taken) throw new RegistryError('EMAIL_TAKEN', 'an account with this email exists');
      const row = {
        id,
        email: data.email,
        display_name: data.displayName,
        role: data.role,
        password_hash: passwordHash,
        created_at: now,
      };
      await trx.insertInto('accounts').values(row).execute();
      const account = toAccount(row);
      await recordEvent(trx, this.deps, {
        type: 'account.created',
        actorId: options.by?.accountId ?? id,
        subjectType: 'account',
        subjectId: id,
        after: { id, role: data.role, displayName: data.displayName },
      });
      if (data.role !== 'creator') return account;
      const holderId = this.deps.newId('rh');
      const holder = { id: holderId, kind: 'person', name: data.displayName, account_id: id, created_at: now };
      await trx.insertInto('rights_holders').values(holder).execute();
      await recordEvent(trx, this.deps, {
        type: 'rights-holder.created',
        actorId: id,
        subjectType: 'rights-holder',
        subjectId: holderId,
        after: { id: holderId, kind: 'person', name: data.displayName },
      });
      return { ...account, rightsHolderId: holderId };
    });
  }

  /** The account with this id, or undefined. */
  async findAccount(id: string): Promise<Account | undefined> {
    const row = await this.database.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const holder = await this.database.db
      .selectFrom('rights_holders')
      .select('id')
      .where('account_id', '=', id)
      .where('kind', '=', 'person')
      .orderBy('created_at')
      .executeTakeFirst();
    return toAccount(row, holder?.id);
  }

  /** Checks an email and password; throws `UNAUTHENTICATED` (the same for an unknown email and a wrong password). */
  async signIn(email: string, password: string): Promise<NewSession> {
    const row = await this.database.db
      .selectFrom('accounts')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    // Verify against a dummy hash when the account is missing, so timing does not reveal which emails exist.
    dummyHash ??= await hash(this.deps.randomToken(16), ARGON2);
    const ok = await verify(row?.password_hash ?? dummyHash, password.slice(0, 1024)).catch(() => false);
    if (!row || !row.password_hash || !ok) throw new RegistryError('UNAUTHENTICATED', 'wrong email or password');
    const token = this.deps.randomToken(32);
    const csrfToken = this.deps.randomToken(24);
    const now = this.deps.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await this.database.db
      .insertInto('sessions')
      .values({
        token_hash: sha256Hex(token),
        account_id: row.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .execute();
    const account = await this.findAccount(row.id);
    return { token, csrfToken, expiresAt, account: account! };
  }

  /** The session for a cookie token, with its CSRF token, or undefined when unknown or expired. */
  async findSession(token: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
    const row = await this.database.db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .select(['sessions.account_id', 'sessions.csrf_token', 'sessions.expires_at', 'accounts.role'])
      .where('sessions.token_hash', '=', sha256Hex(token))
      .executeTakeFirst();
    if (!row || row.expires_at <= this.deps.now().toISOString() || !isRole(row.role)) return undefined;
    return {
      actor: { accountId: row.account_id, role: row.role, scopes: SCOPES, via: 'session' },
      csrfToken: row.csrf_token,
    };
  }

  /** Ends a session. */
  async signOut(token: string): Promise<void> {
    await this.database.db.deleteFrom('sessions').where('token_hash', '=', sha256Hex(token)).execute();
  }

  /** Creates an API key for the actor's own account. The key is returned once and stored only as a hash. */
  async createApiKey(actor: Actor, input: ApiKeyInput): Promise<{ key: string; info: ApiKeyInfo }> {
    const data = validate(apiKeyInput, input);
    if (actor.via === 'api-key') throw new RegistryError('FORBIDDEN', 'API keys cannot create API keys: sign in');
    const key = `hg_${this.deps.randomToken(32)}`;
    const row = {
      id: this.deps.newId('key'),
      account_id: actor.accountId,
      name: data.name,
      prefix: key.slice(0, 10),
      key_hash: sha256Hex(key),
      scopes: JSON.stringify([...new Set(data.scopes)]),
      created_at: this.deps.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.database.db.insertInto('api_keys').values(row).execute();
    return { key, info: toKeyInfo(row) };
  }

  /**
   * The cached answer for an API key, without waiting: `{ actor }` (actor undefined for a key known to be unknown or
   * revoked) when this process resolved the key less than `API_KEY_CACHE_MS` ago and has not revoked it since, or
   * undefined when only `findApiKey` can tell. Lets the HTTP layer authenticate a request synchronously.
   *
   * @example
   * ```ts
   * const hit = registry.accounts.cachedApiKey(key);
   * const actor = hit ? hit.actor : await registry.accounts.findApiKey(key);
   * ```
   */
  cachedApiKey(key: string): { readonly actor: Actor | undefined } | undefined {
    const cached = this.keyCache.get(key);
    if (cached === undefined) return undefined;
    if (cached.until > this.deps.now().getTime()) return cached;
    this.keyCache.delete(key);
    return undefined;
  }

  /** The actor behind an API key, or undefined when unknown or revoked. */
  async findApiKey(key: string): Promise<Actor | undefined> {
    if (!key.startsWith('hg_') || key.length > API_KEY_MAX_LENGTH) return undefined;
    const cached = this.cachedApiKey(key);
    if (cached) return cached.actor;
    const keyHash = sha256Hex(key);
    const revocations = this.revocations;
    const actor = await this.lookUpApiKey(keyHash);
    // A revocation made while the database was being asked may postdate this answer: do not keep it.
    if (this.revocations !== revocations) return actor;
    if (this.keyCache.size >= API_KEY_CACHE_ENTRIES) this.keyCache.clear();
    this.keyCache.set(key, { actor, until: this.deps.now().getTime() + API_KEY_CACHE_MS, keyHash });
    return actor;
  }

  private async lookUpApiKey(keyHash: string): Promise<Actor | undefined> {
    const row = await this.database.db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .select(['api_keys.id', 'api_keys.account_id', 'api_keys.scopes', 'api_keys.revoked_at', 'accounts.role'])
      .where('api_keys.key_hash', '=', keyHash)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || !isRole(row.role)) return undefined;
    return {
      accountId: row.account_id,
      role: row.role,
      scopes: parseScopes(row.scopes),
      via: 'api-key',
      credentialId: row.id,
    };
  }

  /** The actor's own API keys. */
  async listApiKeys(actor: Actor): Promise<ApiKeyInfo[]> {
    const rows = await this.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('account_id', '=', actor.accountId)
      .orderBy('created_at')
      .execute();
    return rows.map(toKeyInfo);
  }

  /** Revokes one of the actor's own API keys. */
  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    const result = await this.database.db
      .updateTable('api_keys')
      .set({ revoked_at: this.deps.now().toISOString() })
      .where('id', '=', id)
      .where('account_id', '=', actor.accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new RegistryError('NOT_FOUND', `no active API key ${id}`);
    const row = await this.database.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('id', '=', id)
      .executeTakeFirst();
    this.revocations += 1;
    if (!row) return;
    for (const [key, entry] of this.keyCache) if (entry.keyHash === row.key_hash) this.keyCache.delete(key);
  }
}

// An Argon2id hash of a random password, verified against when an email is unknown.
let dummyHash: string | undefined;

function parseScopes(text: string): Scope[] {
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? parsed.filter((s): s is Scope => (SCOPES as readonly unknown[]).includes(s)) : [];
}

function toKeyInfo(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
