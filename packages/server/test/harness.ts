import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account, Actor, Registry, Role, Scope, WorkInput } from '@heoga/registry';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import {
  buildApp,
  CSRF_HEADER,
  loadServerConfig,
  PROBLEMS,
  SESSION_COOKIE,
  type ApiErrorCode,
  type Problem,
  type ServerConfig,
} from '../src/index.js';

/** The password of every account the server tests make (long enough for the sign-up rules). */
export const PASSWORD = 'correct horse battery staple';

/** Every API key scope: what the matrix actors' keys carry. */
export const ALL_SCOPES: readonly Scope[] = ['read', 'write', 'check', 'import'];

/**
 * The app over a test registry, with rate limits high enough that only the tests about them meet them. The app is
 * ready (plugins loaded) when returned; close it in afterAll.
 */
export async function openTestApp(registry: Registry, overrides: Partial<ServerConfig> = {}): Promise<FastifyInstance> {
  const config = loadServerConfig(
    {},
    {
      demo: false,
      rateLimitPerMinute: 100_000,
      rateLimitAnonymousPerMinute: 100_000,
      // Files the app writes (index snapshots) go to a directory of the test's own, never to ./data.
      dataDir: mkdtempSync(join(tmpdir(), 'heoga-test-app-')),
      ...overrides,
    },
  );
  const app = await buildApp({ registry, config, logger: false });
  await app.ready();
  return app;
}

/** A web session: the cookie token and the CSRF token from sign-in. */
export interface Session {
  readonly token: string;
  readonly csrfToken: string;
}

/** How a request authenticates: an API key, a session cookie (with or without the CSRF header), or not at all. */
export type Credential = { readonly key: string } | { readonly session: Session; readonly csrf?: boolean } | undefined;

/** One request through `app.inject()`. */
export interface Call {
  readonly method: NonNullable<InjectOptions['method']>;
  readonly url: string;
  readonly as?: Credential;
  /** A JSON body (sent as application/json), or raw text/bytes with `contentType`. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The client's address (rate limits are per address); 127.0.0.1 by default. */
  readonly remoteAddress?: string;
}

/** Sends one request in-process. */
export async function call(app: FastifyInstance, request: Call): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...request.headers };
  const cookies: Record<string, string> = {};
  const as = request.as;
  if (as && 'key' in as) headers['authorization'] = `Bearer ${as.key}`;
  if (as && 'session' in as) {
    cookies[SESSION_COOKIE] = as.session.token;
    if (as.csrf !== false) headers[CSRF_HEADER] = as.session.csrfToken;
  }
  let payload: string | Buffer | undefined;
  if (request.body !== undefined) {
    if (request.contentType === undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(request.body);
    } else {
      headers['content-type'] = request.contentType;
      payload =
        typeof request.body === 'string' || Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body);
    }
  }
  return app.inject({
    method: request.method,
    url: request.url,
    headers,
    cookies,
    ...(payload === undefined ? {} : { payload }),
    ...(request.remoteAddress === undefined ? {} : { remoteAddress: request.remoteAddress }),
  });
}

/**
 * Asserts that a response is an RFC 9457 problem with our stable code, and returns its body.
 *
 * @example
 * ```ts
 * expectProblem(await call(app, { method: 'GET', url: '/v1/me' }), 'UNAUTHENTICATED');
 * ```
 */
export function expectProblem(response: LightMyRequestResponse, code: ApiErrorCode): Problem {
  const { status, title } = PROBLEMS[code];
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json<Problem>();
  expect(body).toMatchObject({
    type: `https://heoga.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    requestId: response.headers['x-request-id'],
  });
  expect(typeof body.instance).toBe('string');
  expect(body.instance.startsWith('/')).toBe(true);
  expect(body.instance).not.toContain('?');
  return body;
}

/** An account made directly in the registry, with an API key of the given scopes. */
export interface TestAccount {
  readonly account: Account;
  readonly email: string;
  /** The registry actor of the account itself (as the local tools use it). */
  readonly actor: Actor;
  readonly key: string;
  readonly keyId: string;
}

/** Signs an account up in the registry (auditors and operators as trusted) and gives it an API key. */
export async function makeAccount(
  registry: Registry,
  email: string,
  role: Role,
  scopes: readonly Scope[] = ALL_SCOPES,
): Promise<TestAccount> {
  const account = await registry.accounts.signUp(
    { email, password: PASSWORD, displayName: `${role} ${email.split('@')[0]}`, role },
    { trusted: role === 'auditor' || role === 'operator' },
  );
  const actor: Actor = { accountId: account.id, role, scopes: ALL_SCOPES, via: 'local' };
  const { key, info } = await registry.accounts.createApiKey(actor, { name: 'test', scopes: [...scopes] });
  return { account, email, actor, key, keyId: info.id };
}

/** A minimal valid work body of one rights holder (100 %), with optional identifiers and policy. */
export function workBody(
  rightsHolderId: string,
  options: { title?: string; identifiers?: WorkInput['identifiers']; policy?: WorkInput['policy'] } = {},
): WorkInput {
  return {
    kind: 'text',
    titles: [{ lang: 'ko', title: options.title ?? '소나기' }],
    identifiers: options.identifiers ?? [],
    rightsHolders: [{ rightsHolderId, role: 'author', share: 100 }],
    ...(options.policy ? { policy: options.policy } : {}),
  };
}
