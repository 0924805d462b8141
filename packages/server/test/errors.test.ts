import type { Registry } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, openTestRegistry } from '../../registry/test/engines.js';
import { JSON_BODY_LIMIT, WORK_BODY_LIMIT } from '../src/index.js';
import {
  call,
  expectProblem,
  makeAccount,
  openTestApp,
  PASSWORD,
  workBody,
  type Session,
  type TestAccount,
} from './harness.js';

const SECRET = 'db password is hunter2 at 10.0.0.7';

describeEachEngine('server: every error is problem+json with a stable code', (get, engine) => {
  let app: FastifyInstance;
  let creator: TestAccount;
  let session: Session;
  beforeAll(async () => {
    const { registry } = get();
    app = await openTestApp(registry);
    creator = await makeAccount(registry, 'creator@example.com', 'creator');
    const signedIn = await registry.accounts.signIn('creator@example.com', PASSWORD);
    session = { token: signedIn.token, csrfToken: signedIn.csrfToken };
  });
  afterAll(async () => {
    await app.close();
  });

  describe('routes and bodies', () => {
    it('an unknown route is 404 ROUTE_NOT_FOUND, with the path (never the query) as instance', async () => {
      const problem = expectProblem(
        await call(app, { method: 'GET', url: '/v1/nothing-here?token=abc' }),
        'ROUTE_NOT_FOUND',
      );
      expect(problem.instance).toBe('/v1/nothing-here');
      expectProblem(await call(app, { method: 'DELETE', url: '/v1/works' }), 'ROUTE_NOT_FOUND');
    });

    it('echoes a well-formed x-request-id as requestId, and replaces a malformed one', async () => {
      const given = await call(app, { method: 'GET', url: '/nope', headers: { 'x-request-id': 'req-42' } });
      expect(expectProblem(given, 'ROUTE_NOT_FOUND').requestId).toBe('req-42');
      const bad = await call(app, { method: 'GET', url: '/nope', headers: { 'x-request-id': 'a b<script>' } });
      expect(expectProblem(bad, 'ROUTE_NOT_FOUND').requestId).not.toBe('a b<script>');
    });

    it('malformed or empty JSON is 400 REQUEST_INVALID', async () => {
      const malformed = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: '{"kind": "text",',
        contentType: 'application/json',
      });
      expectProblem(malformed, 'REQUEST_INVALID');
      const empty = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: '',
        contentType: 'application/json',
      });
      expectProblem(empty, 'REQUEST_INVALID');
    });

    it('a body failing the schema is 400 REQUEST_INVALID with the path of each problem', async () => {
      const unknownKey = await call(app, {
        method: 'POST',
        url: '/v1/accounts',
        body: { email: 'x@example.com', password: PASSWORD, displayName: 'X', role: 'creator', admin: true },
      });
      expect(expectProblem(unknownKey, 'REQUEST_INVALID').errors?.map((e) => e.path)).toEqual(['body']);

      const wrongType = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: { ...workBody(creator.account.rightsHolderId!), titles: 'not a list' },
      });
      expect(expectProblem(wrongType, 'REQUEST_INVALID').errors?.map((e) => e.path)).toContain('body.titles');

      const nested = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: {
          ...workBody(creator.account.rightsHolderId!),
          rightsHolders: [{ rightsHolderId: creator.account.rightsHolderId!, role: 'author', share: 'all' }],
        },
      });
      expect(expectProblem(nested, 'REQUEST_INVALID').errors?.map((e) => e.path)).toContain(
        'body.rightsHolders.0.share',
      );

      // Operators and auditors are never self-service roles.
      const role = await call(app, {
        method: 'POST',
        url: '/v1/accounts',
        body: { email: 'op@example.com', password: PASSWORD, displayName: 'Op', role: 'operator' },
      });
      expect(expectProblem(role, 'REQUEST_INVALID').errors?.map((e) => e.path)).toEqual(['body.role']);
    });

    it('query strings and path parameters are checked too', async () => {
      const limit = await call(app, { method: 'GET', url: '/v1/works?limit=0', as: { key: creator.key } });
      expect(expectProblem(limit, 'REQUEST_INVALID').errors?.map((e) => e.path)).toEqual(['querystring.limit']);
      const extra = await call(app, { method: 'GET', url: '/v1/works?admin=1', as: { key: creator.key } });
      expectProblem(extra, 'REQUEST_INVALID');
      const use = await call(app, {
        method: 'PUT',
        url: '/v1/works/w_1/policy/world-domination',
        as: { key: creator.key },
        body: { kind: 'allow' },
      });
      expect(expectProblem(use, 'REQUEST_INVALID').errors?.map((e) => e.path)).toEqual(['params.use']);
      const format = await call(app, {
        method: 'POST',
        url: '/v1/organisations/org_1/imports?format=xlsx',
        as: { key: creator.key },
        body: 'a,b\n',
        contentType: 'text/csv',
      });
      expectProblem(format, 'REQUEST_INVALID');
    });

    it('semantic validation is 422 VALIDATION_FAILED with the path of each problem', async () => {
      const holder = creator.account.rightsHolderId!;
      const isbn = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: workBody(holder, { identifiers: [{ scheme: 'isbn', value: '978-0-306-40615-8' }] }),
      });
      expect(expectProblem(isbn, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual(['identifiers[0].value']);

      const shares = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: { ...workBody(holder), rightsHolders: [{ rightsHolderId: holder, role: 'author', share: 60 }] },
      });
      expect(expectProblem(shares, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual(['rightsHolders']);

      const unknownHolder = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: workBody('rh_nobody'),
      });
      expect(expectProblem(unknownHolder, 'VALIDATION_FAILED').errors?.length).toBeGreaterThan(0);

      const terms = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: workBody(holder, {
          policy: {
            'ai-train': {
              kind: 'license',
              terms: {
                price: { amountMinor: 1, currency: 'KRW' },
                unit: 'per-work',
                attribution: true,
                validity: { from: '2027-01-01T00:00:00Z', until: '2026-01-01T00:00:00Z' },
              },
            },
          },
        }),
      });
      expect(expectProblem(terms, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual([
        'policy.ai-train.terms.validity.until',
      ]);

      const password = await call(app, {
        method: 'POST',
        url: '/v1/accounts',
        body: { email: 'short@example.com', password: 'short', displayName: 'S', role: 'creator' },
      });
      expect(expectProblem(password, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual(['password']);
    });

    it(`a JSON body over ${JSON_BODY_LIMIT} bytes is 413 PAYLOAD_TOO_LARGE; a work body over ${WORK_BODY_LIMIT} too`, async () => {
      const body = JSON.stringify({
        regime: 'permission-first',
        use: 'ai-train',
        items: [{ url: 'https://example.com/' }],
        padding: 'x'.repeat(JSON_BODY_LIMIT),
      });
      const check = await call(app, {
        method: 'POST',
        url: '/v1/check',
        as: { key: creator.key },
        body,
        contentType: 'application/json',
      });
      expectProblem(check, 'PAYLOAD_TOO_LARGE');
      const work = JSON.stringify({
        ...workBody(creator.account.rightsHolderId!),
        padding: 'x'.repeat(WORK_BODY_LIMIT),
      });
      const response = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { key: creator.key },
        body: work,
        contentType: 'application/json',
      });
      expectProblem(response, 'PAYLOAD_TOO_LARGE');
    });

    it('a check of 1,001 items is 400; 1,000 are answered', async () => {
      const items = (n: number) => Array.from({ length: n }, (_, i) => ({ url: `https://example.com/${i}` }));
      const tooMany = await call(app, {
        method: 'POST',
        url: '/v1/check',
        as: { key: creator.key },
        body: { regime: 'permission-first', use: 'ai-train', items: items(1001) },
      });
      expect(expectProblem(tooMany, 'REQUEST_INVALID').errors?.map((e) => e.path)).toEqual(['body.items']);
      const most = await call(app, {
        method: 'POST',
        url: '/v1/check',
        as: { key: creator.key },
        body: { regime: 'permission-first', use: 'ai-train', items: items(1000) },
      });
      expect(most.statusCode).toBe(200);
      expect(most.json<{ results: unknown[] }>().results).toHaveLength(1000);
    });

    it('a body that is not JSON on a JSON route is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
        const response = await call(app, {
          method: 'POST',
          url: '/v1/works',
          as: { key: creator.key },
          body: JSON.stringify(workBody(creator.account.rightsHolderId!)),
          contentType,
        });
        expectProblem(response, 'UNSUPPORTED_MEDIA_TYPE');
      }
      // Catalog types belong to the import route: elsewhere they are refused before any schema sees the bytes
      // (a Buffer once reached the JSON schemas, which listed every byte index as an unknown key).
      for (const contentType of ['text/csv', 'application/x-ndjson', 'application/jsonl']) {
        const catalog = await call(app, { method: 'POST', url: '/v1/accounts', body: 'kind\ntext\n', contentType });
        expectProblem(catalog, 'UNSUPPORTED_MEDIA_TYPE');
      }
      const big = await call(app, {
        method: 'POST',
        url: '/v1/accounts',
        body: Buffer.alloc(4 * JSON_BODY_LIMIT, 'a'),
        contentType: 'text/csv',
      });
      expectProblem(big, 'PAYLOAD_TOO_LARGE');
      expect(big.body.length).toBeLessThan(1000);
    });
  });

  describe('credentials', () => {
    it('no credentials is 401 UNAUTHENTICATED with WWW-Authenticate', async () => {
      for (const [method, url] of [
        ['GET', '/v1/me'],
        ['GET', '/v1/works'],
        ['POST', '/v1/check'],
      ] as const) {
        const response = await call(app, {
          method,
          url,
          ...(method === 'POST'
            ? { body: { regime: 'permission-first', use: 'ai-train', items: [{ url: 'https://a.example/' }] } }
            : {}),
        });
        expectProblem(response, 'UNAUTHENTICATED');
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
    });

    it('an unknown, malformed or non-Bearer API key is 401, even on public routes', async () => {
      for (const authorization of ['Bearer hg_notarealkey', 'Bearer sk_live_abc', 'Basic dXNlcjpwYXNz', 'Bearer']) {
        const response = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization } });
        expectProblem(response, 'UNAUTHENTICATED');
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
      const publicRoute = await call(app, {
        method: 'POST',
        url: '/v1/sessions',
        as: { key: 'hg_notarealkey' },
        body: { email: 'creator@example.com', password: PASSWORD },
      });
      expectProblem(publicRoute, 'UNAUTHENTICATED');
    });

    it('a cookie write without, or with a wrong, x-csrf-token is 403 CSRF_FAILED; reads need none', async () => {
      const holder = creator.account.rightsHolderId!;
      const without = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: { session, csrf: false },
        body: workBody(holder),
      });
      expectProblem(without, 'CSRF_FAILED');
      const wrong = await call(app, {
        method: 'POST',
        url: '/v1/works',
        as: {
          session: {
            token: session.token,
            csrfToken: `${session.csrfToken.slice(0, -1)}${session.csrfToken.endsWith('x') ? 'y' : 'x'}`,
          },
        },
        body: workBody(holder),
      });
      expectProblem(wrong, 'CSRF_FAILED');
      const otherLength = await call(app, {
        method: 'DELETE',
        url: '/v1/sessions/current',
        as: { session: { token: session.token, csrfToken: 'short' } },
      });
      expectProblem(otherLength, 'CSRF_FAILED');
      const listed = await call(app, { method: 'GET', url: '/v1/works', as: { key: creator.key } });
      expect(listed.json<{ items: unknown[] }>().items).toEqual([]);

      const read = await call(app, { method: 'GET', url: '/v1/me', as: { session, csrf: false } });
      expect(read.statusCode).toBe(200);
      const write = await call(app, { method: 'POST', url: '/v1/works', as: { session }, body: workBody(holder) });
      expect(write.statusCode).toBe(201);
    });

    it('an unknown or signed-out session cookie counts as no credentials (401)', async () => {
      const response = await call(app, {
        method: 'GET',
        url: '/v1/me',
        as: { session: { token: 'not-a-session', csrfToken: 'x' } },
      });
      expectProblem(response, 'UNAUTHENTICATED');
    });

    it('a wrong password and an unknown email are the same 401', async () => {
      const wrong = await call(app, {
        method: 'POST',
        url: '/v1/sessions',
        body: { email: 'creator@example.com', password: 'not the password' },
      });
      const unknown = await call(app, {
        method: 'POST',
        url: '/v1/sessions',
        body: { email: 'nobody@example.com', password: PASSWORD },
      });
      const a = expectProblem(wrong, 'UNAUTHENTICATED');
      const b = expectProblem(unknown, 'UNAUTHENTICATED');
      expect(a.detail).toBe(b.detail);
      expect(wrong.cookies).toEqual([]);
    });
  });

  describe('state', () => {
    it('signing up with a registered email (in any case) is 409 EMAIL_TAKEN', async () => {
      const response = await call(app, {
        method: 'POST',
        url: '/v1/accounts',
        body: { email: 'CREATOR@example.com', password: PASSWORD, displayName: 'Again', role: 'developer' },
      });
      expectProblem(response, 'EMAIL_TAKEN');
    });

    it('an unknown work is 404 NOT_FOUND', async () => {
      expectProblem(await call(app, { method: 'GET', url: '/v1/works/w_nope', as: { key: creator.key } }), 'NOT_FOUND');
      expectProblem(
        await call(app, {
          method: 'PUT',
          url: '/v1/works/w_nope/policy/search',
          as: { key: creator.key },
          body: { kind: 'allow' },
        }),
        'NOT_FOUND',
      );
    });

    it('a cursor the server never gave out is 422', async () => {
      const response = await call(app, {
        method: 'GET',
        url: '/v1/works?cursor=bm90IGEgY3Vyc29y',
        as: { key: creator.key },
      });
      expect(expectProblem(response, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual(['cursor']);
    });
  });

  describe('internal errors', () => {
    it('a plain Error from the registry is 500 INTERNAL and its message never reaches the client', async () => {
      const { registry } = get();
      const works = Object.create(registry.works, {
        listWorks: { value: () => Promise.reject(new Error(SECRET)) },
        getWorkOrThrow: {
          value: () => {
            throw new TypeError(`Cannot read properties of undefined (reading '${SECRET}')`);
          },
        },
      }) as Registry['works'];
      const leaky = await openTestApp({ ...registry, works });
      try {
        for (const url of ['/v1/works', '/v1/works/w_1']) {
          const response = await call(leaky, { method: 'GET', url, as: { key: creator.key } });
          const problem = expectProblem(response, 'INTERNAL');
          expect(problem.detail).toBeUndefined();
          expect(problem.errors).toBeUndefined();
          expect(response.body).not.toContain('hunter2');
          expect(response.body).not.toContain('10.0.0.7');
          expect(response.body).not.toContain('Cannot read');
          expect(JSON.stringify(response.headers)).not.toContain('hunter2');
        }
      } finally {
        await leaky.close();
      }
    });

    it(`a database that went away is a 500 with no driver message (${engine})`, async () => {
      const broken = await openTestRegistry(engine);
      const brokenApp = await openTestApp(broken.registry);
      try {
        await broken.registry.database.close();
        const health = await call(brokenApp, { method: 'GET', url: '/healthz' });
        // A driver error is not a RegistryError: the generic 500 (docs/api.md's 503 STORAGE_FAILED is for start-up).
        expect(expectProblem(health, 'INTERNAL').detail).toBeUndefined();
        expect(health.body).not.toMatch(/destroyed|not open|sqlite|pool|connection/i);
        const key = await call(brokenApp, { method: 'GET', url: '/v1/me', as: { key: creator.key } });
        expectProblem(key, 'INTERNAL');
        expect(key.body).not.toMatch(/destroyed|not open|sqlite|pool|connection/i);
      } finally {
        await brokenApp.close();
        await broken.close();
      }
    });
  });
});

describeEachEngine('server: rate limits', (get) => {
  let app: FastifyInstance;
  let creator: TestAccount;
  beforeAll(async () => {
    const { registry } = get();
    app = await openTestApp(registry, { rateLimitAnonymousPerMinute: 3 });
    creator = await makeAccount(registry, 'limited@example.com', 'creator');
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the 4th anonymous request in a minute with 429 RATE_LIMITED and Retry-After', async () => {
    for (let i = 0; i < 3; i += 1) expect((await call(app, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const limited = await call(app, { method: 'GET', url: '/healthz' });
    expectProblem(limited, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address, and an authenticated caller, have their own budgets.
    const elsewhere = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '198.51.100.7' });
    expect(elsewhere.statusCode).toBe(200);
    expect((await call(app, { method: 'GET', url: '/v1/me', as: { key: creator.key } })).statusCode).toBe(200);
  });

  it('limits sign-in attempts to 10 a minute per address', async () => {
    const attempt = (remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/sessions',
        remoteAddress,
        payload: { email: 'limited@example.com', password: 'guess guess guess' },
      });
    for (let i = 0; i < 10; i += 1) expectProblem(await attempt('203.0.113.9'), 'UNAUTHENTICATED');
    const limited = await attempt('203.0.113.9');
    expectProblem(limited, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits: the limit is on attempts, not failures.
    const right = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      remoteAddress: '203.0.113.9',
      payload: { email: 'limited@example.com', password: PASSWORD },
    });
    expectProblem(right, 'RATE_LIMITED');
    expect((await attempt('203.0.113.10')).statusCode).toBe(401);
  });
});
