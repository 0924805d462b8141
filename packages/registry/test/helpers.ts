import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  RegistryError,
  SCOPES,
  type Account,
  type Actor,
  type Registry,
  type RegistryErrorCode,
  type Role,
  type WorkInput,
} from '../src/index.js';

/** A password every test account shares (long enough for sign-up). */
export const PASSWORD = 'a long enough password';

let accounts = 0;

/** An email no other account in the process uses. */
export function uniqueEmail(tag: string): string {
  accounts += 1;
  return `${tag}-${accounts}-${randomBytes(3).toString('hex')}@example.test`;
}

/** A signed-up account and the actor a session for it would give (built directly: signing in costs an Argon2 hash). */
export interface TestAccount {
  readonly account: Account;
  readonly actor: Actor;
  /** The creator's own rights holder (creators only). */
  readonly holderId: string;
}

/** Signs up an account with a unique email; auditors and operators are created as by a trusted local command. */
export async function newAccount(registry: Registry, role: Role, displayName: string = role): Promise<TestAccount> {
  const trusted = role === 'auditor' || role === 'operator';
  const account = await registry.accounts.signUp(
    { email: uniqueEmail(role), password: PASSWORD, displayName, role },
    { trusted },
  );
  return {
    account,
    actor: { accountId: account.id, role, scopes: SCOPES, via: 'session' },
    holderId: account.rightsHolderId ?? '',
  };
}

/** Awaits `promise`, expecting a `RegistryError` with `code`; returns it for further checks. */
export async function expectRegistryError(promise: Promise<unknown>, code: RegistryErrorCode): Promise<RegistryError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a ${code} RegistryError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(RegistryError);
  const error = outcome.error as RegistryError;
  expect(error.code, error.message).toBe(code);
  return error;
}

function ean13Check(twelve: string): string {
  const sum = [...twelve].reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return String((10 - (sum % 10)) % 10);
}

function isbn10Check(nine: string): string {
  const sum = [...nine].reduce((acc, digit, i) => acc + Number(digit) * (i + 1), 0);
  const check = sum % 11;
  return check === 10 ? 'X' : String(check);
}

let isbns = 0;
// A random block per process keeps test files from sharing ISBNs should they ever share a database.
const isbnBlock = `${randomBytes(2).readUInt16BE(0) % 1000}`.padStart(3, '0');

/** A valid ISBN, fresh on every call: `isbn13` normalised, and the same book as an ISBN-10 with hyphens. */
export function freshIsbn(): { readonly isbn13: string; readonly isbn10: string } {
  isbns += 1;
  const nine = isbnBlock + `${isbns}`.padStart(6, '0');
  const twelve = `978${nine}`;
  return {
    isbn13: twelve + ean13Check(twelve),
    isbn10: `${nine.slice(0, 1)}-${nine.slice(1, 4)}-${nine.slice(4)}-${isbn10Check(nine)}`,
  };
}

/** A minimal valid work of one rights holder (100 %), with optional changes. */
export function workOf(holderId: string, changes: Partial<WorkInput> = {}): WorkInput {
  return {
    kind: 'text',
    titles: [{ lang: 'en', title: 'A Work' }],
    rightsHolders: [{ rightsHolderId: holderId, role: 'author', share: 100 }],
    ...changes,
  };
}

/** The types of the events recorded about `subjectId`, in commit order. */
export async function eventTypesOf(registry: Registry, subjectId: string): Promise<string[]> {
  const rows = await registry.database.db
    .selectFrom('events')
    .select('type')
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.type);
}
