/** The roles an account can have (DESIGN §2). */
export const ROLES = ['creator', 'org-admin', 'developer', 'auditor', 'operator'] as const;

/** An account's role. */
export type Role = (typeof ROLES)[number];

/** Roles anyone may choose when signing up; `auditor` and `operator` accounts are made by an operator. */
export const SELF_SERVICE_ROLES: readonly Role[] = ['creator', 'org-admin', 'developer'];

/** What an API key may be used for. A session may do everything its account's role allows. */
export const SCOPES = ['read', 'write', 'check', 'import'] as const;

/** One API key scope. */
export type Scope = (typeof SCOPES)[number];

/** Who is asking: the account, its role, and what the credential used allows. */
export interface Actor {
  readonly accountId: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  /** `session` (web app, cookie) or `api-key`. */
  readonly via: 'session' | 'api-key' | 'local';
  /** The credential used (API key id), for per-key rate limits and audit. */
  readonly credentialId?: string;
}

/** True when `value` is a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
