import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../registry/test/engines.js';
import { CSRF_COOKIE, SESSION_COOKIE, VERSION } from '../src/index.js';
import { call, expectProblem, openTestApp, PASSWORD, type Session } from './harness.js';

/** The signed-in cookies of a response, by name. */
function cookiesOf(response: { cookies: { name: string; value: string }[] }): Map<string, Record<string, unknown>> {
  return new Map(response.cookies.map((c) => [c.name, c as unknown as Record<string, unknown>]));
}

describeEachEngine('server: the README flow over HTTP', (get) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await openTestApp(get().registry);
  });
  afterAll(async () => {
    await app.close();
  });

  // State carried from step to step, as a user would carry it.
  let creator: Session;
  let creatorRightsHolder: string;
  let workId: string;
  let etag: string;
  let developer: Session;
  let apiKey: string;
  let apiKeyId: string;

  it('a creator signs up and signs in: a session cookie (HttpOnly), a CSRF cookie and the CSRF token', async () => {
    const signUp = await call(app, {
      method: 'POST',
      url: '/v1/accounts',
      body: { email: 'Haneul@Example.com', password: PASSWORD, displayName: '김하늘', role: 'creator' },
    });
    expect(signUp.statusCode).toBe(201);
    const account = signUp.json<{ id: string; email: string; role: string; rightsHolderId?: string }>();
    expect(account).toMatchObject({ email: 'haneul@example.com', role: 'creator' });
    expect(signUp.body).not.toContain(PASSWORD);
    expect(account.rightsHolderId).toBeDefined();
    creatorRightsHolder = account.rightsHolderId!;

    const signIn = await call(app, {
      method: 'POST',
      url: '/v1/sessions',
      body: { email: 'haneul@example.com', password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(201);
    const body = signIn.json<{ account: { id: string }; csrfToken: string; expiresAt: string }>();
    expect(body.account.id).toBe(account.id);
    const cookies = cookiesOf(signIn);
    const session = cookies.get(SESSION_COOKIE);
    const csrf = cookies.get(CSRF_COOKIE);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(csrf).toMatchObject({ value: body.csrfToken, sameSite: 'Lax', path: '/' });
    expect(csrf?.['httpOnly']).not.toBe(true);
    expect(signIn.body).not.toContain(String(session?.['value']));
    creator = { token: String(session?.['value']), csrfToken: body.csrfToken };

    const me = await call(app, { method: 'GET', url: '/v1/me', as: { session: creator } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: account.id, role: 'creator' });
  });

  it('registers a work with the cookie and x-csrf-token: 201 with an ETag', async () => {
    const response = await call(app, {
      method: 'POST',
      url: '/v1/works',
      as: { session: creator },
      body: {
        kind: 'text',
        titles: [
          { lang: 'ko', title: '봄비 내리는 골목' },
          { lang: 'en', title: 'The Alley in Spring Rain' },
        ],
        identifiers: [{ scheme: 'isbn', value: '978-0-306-40615-7' }],
        rightsHolders: [{ rightsHolderId: creatorRightsHolder, role: 'author', share: 100 }],
        policy: {
          'ai-train': {
            kind: 'license',
            terms: { price: { amountMinor: 50_000, currency: 'KRW' }, unit: 'per-work', attribution: true },
          },
          search: { kind: 'allow' },
        },
      },
    });
    expect(response.statusCode).toBe(201);
    const work = response.json<{ id: string; version: number; identifiers: { value: string }[] }>();
    expect(work.version).toBe(1);
    expect(work.identifiers[0]?.value).toBe('9780306406157');
    workId = work.id;
    etag = String(response.headers['etag']);
    expect(etag).toBe(`"${workId}.v1"`);
  });

  it('changes one stance with If-Match: 200 and a new ETag', async () => {
    const response = await call(app, {
      method: 'PUT',
      url: `/v1/works/${workId}/policy/ai-train`,
      as: { session: creator },
      headers: { 'if-match': etag },
      body: { kind: 'deny' },
    });
    expect(response.statusCode).toBe(200);
    const work = response.json<{ version: number; policy: Record<string, unknown> }>();
    expect(work.version).toBe(2);
    expect(work.policy['ai-train']).toEqual({ kind: 'deny' });
    expect(work.policy['search']).toEqual({ kind: 'allow' });
    const next = String(response.headers['etag']);
    expect(next).toBe(`"${workId}.v2"`);

    // If-None-Match with the current ETag: 304, no body; with the old one: the work.
    const unchanged = await call(app, {
      method: 'GET',
      url: `/v1/works/${workId}`,
      as: { session: creator },
      headers: { 'if-none-match': next },
    });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers['etag']).toBe(next);
    const changed = await call(app, {
      method: 'GET',
      url: `/v1/works/${workId}`,
      as: { session: creator },
      headers: { 'if-none-match': etag },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers['etag']).toBe(next);

    // The stale ETag no longer matches: 412, and nothing changes.
    const stale = await call(app, {
      method: 'PUT',
      url: `/v1/works/${workId}/policy/ai-train`,
      as: { session: creator },
      headers: { 'if-match': etag },
      body: { kind: 'allow' },
    });
    expectProblem(stale, 'VERSION_MISMATCH');
    const staleReplace = await call(app, {
      method: 'PUT',
      url: `/v1/works/${workId}`,
      as: { session: creator },
      headers: { 'if-match': etag },
      body: {
        kind: 'text',
        titles: [{ lang: 'ko', title: '덮어쓰기' }],
        rightsHolders: [{ rightsHolderId: creatorRightsHolder, role: 'author', share: 100 }],
      },
    });
    expectProblem(staleReplace, 'VERSION_MISMATCH');
    const notAnEtag = await call(app, {
      method: 'PUT',
      url: `/v1/works/${workId}/policy/ai-train`,
      as: { session: creator },
      headers: { 'if-match': '"someone-else.v2"' },
      body: { kind: 'allow' },
    });
    expectProblem(notAnEtag, 'VERSION_MISMATCH');
    const after = await call(app, { method: 'GET', url: `/v1/works/${workId}`, as: { session: creator } });
    expect(after.json()).toMatchObject({ version: 2, policy: { 'ai-train': { kind: 'deny' } } });
    etag = next;
  });

  it('a developer signs up, signs in and makes an API key, shown once and never listed', async () => {
    const signUp = await call(app, {
      method: 'POST',
      url: '/v1/accounts',
      body: { email: 'dev@example.com', password: PASSWORD, displayName: 'Model trainer', role: 'developer' },
    });
    expect(signUp.statusCode).toBe(201);
    const signIn = await call(app, {
      method: 'POST',
      url: '/v1/sessions',
      body: { email: 'dev@example.com', password: PASSWORD },
    });
    expect(signIn.statusCode).toBe(201);
    developer = {
      token: String(cookiesOf(signIn).get(SESSION_COOKIE)?.['value']),
      csrfToken: signIn.json<{ csrfToken: string }>().csrfToken,
    };

    const created = await call(app, {
      method: 'POST',
      url: '/v1/api-keys',
      as: { session: developer },
      body: { name: 'crawler', scopes: ['read', 'check'] },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ key: string; info: { id: string; prefix: string; scopes: string[] } }>();
    expect(body.key).toMatch(/^hg_/);
    expect(body.info).toMatchObject({ prefix: body.key.slice(0, 10), scopes: ['read', 'check'], revokedAt: null });
    apiKey = body.key;
    apiKeyId = body.info.id;

    const listed = await call(app, { method: 'GET', url: '/v1/api-keys', as: { session: developer } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: { id: string }[] }>().items.map((k) => k.id)).toEqual([apiKeyId]);
    expect(listed.body).not.toContain(apiKey);
    expect(listed.body).not.toContain(apiKey.slice(10));

    // A key cannot mint keys: that needs the signed-in person.
    expectProblem(
      await call(app, {
        method: 'POST',
        url: '/v1/api-keys',
        as: { key: apiKey },
        body: { name: 'x', scopes: ['read'] },
      }),
      'FORBIDDEN',
    );
  });

  it('checks works with the API key: verdicts, with evidence from the registry', async () => {
    const response = await call(app, {
      method: 'POST',
      url: '/v1/check',
      as: { key: apiKey },
      body: {
        regime: 'permission-first',
        use: 'ai-train',
        items: [
          { id: 'registered', identifier: { scheme: 'isbn', value: '0-306-40615-2' } },
          { id: 'unregistered', url: 'https://nowhere.example/page' },
          { id: 'bad', identifier: { scheme: 'isbn', value: '978-0-306-40615-8' } },
        ],
      },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      regime: string;
      use: string;
      results: {
        id: string;
        matches?: { workId: string }[];
        verdict?: { outcome: string };
        error?: { code: string };
      }[];
    }>();
    expect(body).toMatchObject({ regime: 'permission-first', use: 'ai-train' });
    const [registered, unregistered, bad] = body.results;
    expect(registered?.matches).toEqual([{ workId, via: 'identifier' }]);
    expect(registered?.verdict?.outcome).toBe('blocked');
    expect(unregistered?.matches).toEqual([]);
    expect(unregistered?.verdict?.outcome).toBe('unknown');
    expect(bad?.error?.code).toBe('IDENTIFIER_INVALID');

    const search = await call(app, {
      method: 'POST',
      url: '/v1/check',
      as: { key: apiKey },
      body: {
        regime: 'permission-first',
        use: 'search',
        items: [{ identifier: { scheme: 'isbn', value: '9780306406157' } }],
      },
    });
    expect(search.json<{ results: { verdict: { outcome: string } }[] }>().results[0]?.verdict.outcome).toBe('cleared');
  });

  it('reads the public view of the work with the key, but not the full record', async () => {
    const response = await call(app, { method: 'GET', url: `/v1/works/${workId}/policy`, as: { key: apiKey } });
    expect(response.statusCode).toBe(200);
    const view = response.json<Record<string, unknown>>();
    expect(Object.keys(view).sort()).toEqual(['id', 'identifiers', 'kind', 'policy', 'status', 'titles', 'updatedAt']);
    expect(view).toMatchObject({ id: workId, status: 'active', policy: { 'ai-train': { kind: 'deny' } } });
    expect(response.body).not.toContain(creatorRightsHolder);
    expectProblem(await call(app, { method: 'GET', url: `/v1/works/${workId}`, as: { key: apiKey } }), 'FORBIDDEN');
    expectProblem(
      await call(app, { method: 'GET', url: '/v1/works/w_missing/policy', as: { key: apiKey } }),
      'NOT_FOUND',
    );
  });

  it('revokes the API key: the key then gets 401, and is listed as revoked', async () => {
    const revoked = await call(app, { method: 'DELETE', url: `/v1/api-keys/${apiKeyId}`, as: { session: developer } });
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');
    const refused = await call(app, {
      method: 'POST',
      url: '/v1/check',
      as: { key: apiKey },
      body: { regime: 'permission-first', use: 'ai-train', items: [{ url: 'https://nowhere.example/' }] },
    });
    const problem = expectProblem(refused, 'UNAUTHENTICATED');
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect(JSON.stringify(problem)).not.toContain(apiKey);
    const listed = await call(app, { method: 'GET', url: '/v1/api-keys', as: { session: developer } });
    expect(listed.json<{ items: { revokedAt: string | null }[] }>().items[0]?.revokedAt).not.toBeNull();
    expectProblem(
      await call(app, { method: 'DELETE', url: `/v1/api-keys/${apiKeyId}`, as: { session: developer } }),
      'NOT_FOUND',
    );
  });

  it('signs out: the cookie no longer works, and the cookies are cleared', async () => {
    const signOut = await call(app, { method: 'DELETE', url: '/v1/sessions/current', as: { session: creator } });
    expect(signOut.statusCode).toBe(204);
    const cleared = cookiesOf(signOut);
    expect(cleared.get(SESSION_COOKIE)?.['value']).toBe('');
    expect(cleared.get(CSRF_COOKIE)?.['value']).toBe('');
    expectProblem(await call(app, { method: 'GET', url: '/v1/me', as: { session: creator } }), 'UNAUTHENTICATED');
    expectProblem(
      await call(app, {
        method: 'PUT',
        url: `/v1/works/${workId}/policy/search`,
        as: { session: creator },
        body: { kind: 'deny' },
      }),
      'UNAUTHENTICATED',
    );
    // The developer's own session is untouched.
    expect((await call(app, { method: 'GET', url: '/v1/me', as: { session: developer } })).statusCode).toBe(200);
  });

  it('serves the API documentation, the OpenAPI 3.1 document and a health check', async () => {
    const docs = await call(app, { method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.body).toContain('<html');

    const root = await call(app, { method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers['location']).toBe('/docs');

    const openapi = await call(app, { method: 'GET', url: '/openapi.json' });
    expect(openapi.statusCode).toBe(200);
    const document = openapi.json<{ openapi: string; info: { version: string }; paths: Record<string, object> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe(VERSION);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/accounts', '/v1/sessions', '/v1/works', '/v1/works/{id}', '/v1/check']),
    );
    expect(Object.keys(document.paths).every((p) => p.startsWith('/v1/'))).toBe(true);

    const health = await call(app, { method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', version: VERSION });
    expect(health.headers['x-request-id']).toBeDefined();
    const traced = await call(app, { method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-1.2_3' } });
    expect(traced.headers['x-request-id']).toBe('trace-1.2_3');
  });
});

describeEachEngine('server: signing in again with a session cookie still set', (get) => {
  it('needs no CSRF header: sign-up and sign-in ignore the cookie', async () => {
    const app = await openTestApp(get().registry);
    try {
      const email = `again-${Date.now()}@example.test`;
      await call(app, {
        method: 'POST',
        url: '/v1/accounts',
        body: { email, password: PASSWORD, displayName: 'Again', role: 'developer' },
      });
      const first = await call(app, { method: 'POST', url: '/v1/sessions', body: { email, password: PASSWORD } });
      expect(first.statusCode).toBe(201);
      const session: Session = {
        token: first.cookies.find((c) => c.name === SESSION_COOKIE)!.value,
        csrfToken: first.json<{ csrfToken: string }>().csrfToken,
      };
      const second = await call(app, {
        method: 'POST',
        url: '/v1/sessions',
        as: { session, csrf: false },
        body: { email, password: PASSWORD },
      });
      expect(second.statusCode).toBe(201);
      // Other writes with the cookie still need the header.
      expectProblem(
        await call(app, {
          method: 'POST',
          url: '/v1/api-keys',
          as: { session, csrf: false },
          body: { name: 'k', scopes: ['check'] },
        }),
        'CSRF_FAILED',
      );
    } finally {
      await app.close();
    }
  });
});
