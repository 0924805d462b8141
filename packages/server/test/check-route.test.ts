import { REGIME_IDS, USES } from '@heoga/core';
import type { CheckInput, CheckResponse, Registry } from '@heoga/registry';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../registry/test/engines.js';
import { serializeCheckResponse } from '../src/check-response.js';
import { call, expectProblem, makeAccount, openTestApp, workBody, type TestAccount } from './harness.js';

let isbnSeq = 0;
/** A fresh valid ISBN-13 per call (979 prefix, EAN-13 check digit). */
function nextIsbn(): string {
  isbnSeq += 1;
  const body = `9791${String(Date.now() % 100_000).padStart(5, '0')}${String(isbnSeq).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

describeEachEngine('server: POST /v1/check reads once and serialises from shared parts', (get) => {
  let app: FastifyInstance;
  let registry: Registry;
  let creator: TestAccount;
  let developer: TestAccount;
  let items: CheckInput['items'];

  beforeAll(async () => {
    registry = get().registry;
    app = await openTestApp(registry);
    creator = await makeAccount(registry, `route-creator-${isbnSeq}@example.com`, 'creator');
    developer = await makeAccount(registry, `route-dev-${isbnSeq}@example.com`, 'developer', ['check']);
    const holder = creator.account.rightsHolderId!;
    const licensed = nextIsbn();
    const refused = nextIsbn();
    await registry.works.registerWork(
      creator.actor,
      workBody(holder, {
        identifiers: [
          { scheme: 'isbn', value: licensed },
          { scheme: 'url-prefix', value: 'https://route.example/books/' },
        ],
        policy: {
          'ai-train': {
            kind: 'license',
            terms: { price: { amountMinor: 5000, currency: 'KRW' }, unit: 'per-work', attribution: true },
          },
          search: { kind: 'allow' },
        },
      }),
    );
    await registry.works.registerWork(
      creator.actor,
      workBody(holder, { identifiers: [{ scheme: 'isbn', value: refused }], policy: { 'ai-train': { kind: 'deny' } } }),
    );
    items = [
      { id: 'licensed', identifier: { scheme: 'isbn', value: licensed } },
      { identifier: { scheme: 'isbn', value: refused } },
      { id: 'prefix', url: 'https://route.example/books/1?page=2' },
      { id: 'unknown', url: 'https://nowhere.example/' },
      { id: 'bad', identifier: { scheme: 'isbn', value: '123' } },
      { sha256: 'AB'.repeat(32) },
    ];
  });
  afterAll(async () => {
    await app.close();
  });

  it('writes exactly what JSON.stringify writes, for every regime and use, on first and cached calls', async () => {
    for (const regime of REGIME_IDS) {
      for (const use of USES) {
        for (let round = 0; round < 2; round += 1) {
          const answer = await registry.check.check(developer.actor, { regime, use, items });
          expect(serializeCheckResponse(answer)).toBe(JSON.stringify(answer));
        }
      }
    }
  });

  it('answers over HTTP what the registry answers', async () => {
    const response = await call(app, {
      method: 'POST',
      url: '/v1/check',
      as: { key: developer.key },
      body: { regime: 'permission-first', use: 'ai-train', items },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = response.json<CheckResponse>();
    const direct = await registry.check.check(developer.actor, {
      regime: 'permission-first',
      use: 'ai-train',
      items,
    });
    const blankTimes = (r: CheckResponse) => JSON.parse(JSON.stringify(r).replaceAll(r.at, 'T')) as unknown;
    expect(blankTimes(body)).toEqual(blankTimes(direct));
    const outcomes = body.results.map((r) => ('verdict' in r ? r.verdict.outcome : r.error.code));
    expect(outcomes.slice(0, 3)).toEqual(['license-required', 'blocked', 'license-required']);
    expect(outcomes[4]).toBe('IDENTIFIER_INVALID');
  });

  it('keeps 400 for a body of the wrong shape and 422 for a well-shaped body with bad values', async () => {
    const post = (body: unknown) => call(app, { method: 'POST', url: '/v1/check', as: { key: developer.key }, body });
    const stray = await post({ regime: 'opt-out', use: 'search', items: [{ url: 'https://a.example/', note: 'x' }] });
    expect(expectProblem(stray, 'REQUEST_INVALID').errors?.map((e) => e.path)).toEqual(['body.items.0']);
    expectProblem(await post({ regime: 'opt-out', use: 'search', items: [] }), 'REQUEST_INVALID');
    expectProblem(
      await post({ regime: 'nowhere', use: 'search', items: [{ url: 'https://a.example/' }] }),
      'REQUEST_INVALID',
    );
    const twoTargets = await post({
      regime: 'opt-out',
      use: 'search',
      items: [{ url: 'https://a.example/', sha256: 'a'.repeat(64) }],
    });
    expect(expectProblem(twoTargets, 'VALIDATION_FAILED').errors?.map((e) => e.path)).toEqual(['items[0]']);
    expectProblem(
      await post({ regime: 'opt-out', use: 'search', items: [{ sha256: 'z'.repeat(64) }] }),
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post({ regime: 'opt-out', use: 'search', items: [{ identifier: { scheme: 'isbn', value: '' } }] }),
      'VALIDATION_FAILED',
    );
  });

  it('still asks for credentials and the check scope before answering', async () => {
    const body = { regime: 'opt-out', use: 'search', items: [{ url: 'https://a.example/' }] };
    expectProblem(await call(app, { method: 'POST', url: '/v1/check', body }), 'UNAUTHENTICATED');
    const reader = await makeAccount(registry, `route-reader-${isbnSeq}@example.com`, 'developer', ['read']);
    expectProblem(await call(app, { method: 'POST', url: '/v1/check', as: { key: reader.key }, body }), 'FORBIDDEN');
  });
});

describe('serializeCheckResponse: members it does not know', () => {
  const verdict = {
    outcome: 'cleared',
    use: 'search',
    regime: 'opt-out',
    standing: 'allowed',
    reason: 'allowed-by-rights-holder',
    evidence: [],
    flags: [],
    evaluatedAt: '2026-11-25T00:00:00.000Z',
  } as const;

  it('falls back to JSON.stringify for a verdict, result or answer with members it does not know', () => {
    const answers = [
      { regime: 'opt-out', use: 'search', at: 'T', results: [{ matches: [], verdict: { ...verdict, extra: 1 } }] },
      { regime: 'opt-out', use: 'search', at: 'T', results: [{ matches: [], verdict, score: 2 }] },
      { regime: 'opt-out', use: 'search', at: 'T', results: [], next: 'x' },
      { regime: 'opt-out', use: 'search', at: 'T', results: [{ id: 'a"b', matches: [], verdict }] },
    ] as unknown as CheckResponse[];
    for (const answer of answers) expect(serializeCheckResponse(answer)).toBe(JSON.stringify(answer));
  });
});
