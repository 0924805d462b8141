import { evaluate, IDENTIFIER_SCHEMES, REGIME_IDS, USES, type Statement, type Stance } from '@heoga/core';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor, CheckResult, Registry } from '../src/index.js';
import { CheckService, checkInput } from '../src/services/check.js';
import { describeEachEngine, openTestRegistry, type TestRegistry } from './engines.js';
import { expectRegistryError, freshIsbn, newAccount, workOf, type TestAccount } from './helpers.js';

function verdictOf(result: CheckResult | undefined) {
  if (!result || !('verdict' in result)) throw new Error(`expected a verdict, got ${JSON.stringify(result)}`);
  return result;
}

/** A result with its evaluation time blanked: answers of calls made at different times compare equal. */
const withoutTime = (r: CheckResult | undefined) =>
  r && 'verdict' in r ? { ...r, verdict: { ...r.verdict, evaluatedAt: '' } } : r;

const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 64, maxLength: 64 });

const idText = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('x'.repeat(200), 'x'.repeat(201)));
const targetText = fc.oneof(
  fc.constantFrom('9780306406157', 'https://a.example/b?c', '', ' ', 'x'.repeat(2048), 'x'.repeat(2049)),
  fc.string({ maxLength: 5 }),
);

/** Items of the common shape (an optional id and one target), with values near their limits. */
const commonItem = fc
  .record(
    {
      id: idText,
      target: fc.oneof(
        fc.record({ identifier: fc.record({ scheme: fc.constantFrom(...IDENTIFIER_SCHEMES), value: targetText }) }),
        fc.record({ url: targetText }),
        fc.record({ sha256: fc.oneof(hex64, fc.constantFrom('abc', 'g'.repeat(64), `${'a'.repeat(64)}\n`)) }),
      ),
    },
    { requiredKeys: ['target'] },
  )
  .map(({ id, target }) => (id === undefined ? target : { id, ...target }));

/** Items of any shape: every member right, wrong, missing or doubled, and stray members. */
const wildItem = fc.record(
  {
    id: fc.oneof(idText, fc.nat()),
    identifier: fc.oneof(
      fc.record(
        {
          scheme: fc.constantFrom(...IDENTIFIER_SCHEMES, 'ean', ''),
          value: fc.oneof(targetText, fc.integer()),
          extra: fc.constant(true),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(null, 'isbn', [] as unknown[]),
    ),
    url: fc.oneof(targetText, fc.integer()),
    sha256: fc.oneof(hex64, fc.integer()),
    stray: fc.constant(1),
  },
  { requiredKeys: [] },
);

const nearlyValidItem = fc.oneof({ weight: 4, arbitrary: commonItem }, { weight: 1, arbitrary: wildItem });

const nearlyValidRequest = fc.oneof(
  fc.record(
    {
      regime: fc.oneof(fc.constantFrom(...REGIME_IDS), fc.constantFrom('nowhere', 1)),
      use: fc.oneof(fc.constantFrom(...USES), fc.constantFrom('ai-all', 'everything', null)),
      items: fc.oneof(
        { weight: 8, arbitrary: fc.array(nearlyValidItem, { minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constantFrom([] as unknown[], 'items', null) },
      ),
      extra: fc.constant('x'),
    },
    { requiredKeys: ['regime', 'use', 'items'] },
  ),
  fc.record(
    {
      regime: fc.constantFrom(...REGIME_IDS),
      use: fc.constantFrom(...USES),
      items: fc.array(commonItem, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['regime', 'use', 'items'] },
  ),
  fc.constantFrom(null, 'request', 42, [] as unknown[], Object.create(null) as object),
);

const sampleRequest = {
  regime: 'permission-first',
  use: 'ai-train',
  items: [
    { id: 'a', identifier: { scheme: 'isbn', value: '978-0-306-40615-7' } },
    { url: 'https://example.com/a' },
    { sha256: 'A'.repeat(64) },
  ],
};

describe('check: reading a request once, by hand for the common shape', () => {
  let opened: TestRegistry;
  let service: Registry['check'];
  beforeAll(async () => {
    opened = await openTestRegistry('sqlite');
    service = opened.registry.check;
  });
  afterAll(async () => {
    await opened.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('accepts exactly what the checkInput schema accepts, with the same value (SHA-256 in lower case)', () => {
    fc.assert(
      fc.property(nearlyValidRequest, (request) => {
        const parsed = service.parseInput(request);
        const bySchema = checkInput.safeParse(request);
        expect(parsed.ok).toBe(bySchema.success);
        if (parsed.ok && bySchema.success) expect(parsed.value).toStrictEqual(bySchema.data);
        if (!parsed.ok && !bySchema.success) expect(parsed.issues.length).toBe(bySchema.error.issues.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the common shapes without zod, and leaves anything unusual to the schema', () => {
    const safeParse = vi.spyOn(checkInput, 'safeParse');
    const parsed = service.parseInput(sampleRequest);
    expect(parsed.ok && parsed.value.items[2]).toEqual({ sha256: 'a'.repeat(64) });
    expect(safeParse).not.toHaveBeenCalled();
    const stray = service.parseInput({ ...sampleRequest, items: [{ url: 'https://example.com/', note: 1 }] });
    expect(stray.ok).toBe(false);
    expect(!stray.ok && stray.issues).toEqual([{ path: 'items[0]', message: expect.stringContaining('note') }]);
    expect(safeParse).toHaveBeenCalledTimes(1);
  });
});

describeEachEngine('check: validation once, answers cached per generation', (get) => {
  let registry: Registry;
  let creator: TestAccount;
  let checker: Actor;

  beforeAll(async () => {
    registry = get().registry;
    creator = await newAccount(registry, 'creator');
    const developer = await newAccount(registry, 'developer');
    checker = { accountId: developer.account.id, role: 'developer', scopes: ['check'], via: 'api-key' };
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('takes a parsed request without validating it again, and validates any other object', async () => {
    const parsed = registry.check.parseInput(sampleRequest);
    if (!parsed.ok) throw new Error('expected the sample to parse');
    const safeParse = vi.spyOn(checkInput, 'safeParse');
    const fromParsed = await registry.check.check(checker, parsed.value);
    expect(safeParse).not.toHaveBeenCalled();
    // The same content, not made by parseInput, is validated: a look-alike never skips the schema.
    const lookAlike = await registry.check.check(checker, { ...parsed.value });
    expect(safeParse).toHaveBeenCalledTimes(1);
    expect(lookAlike.results.map(withoutTime)).toEqual(fromParsed.results.map(withoutTime));
    // Authorisation still comes first.
    await expectRegistryError(registry.check.check({ ...checker, scopes: ['read'] }, parsed.value), 'FORBIDDEN');
  });

  it('stamps cached answers with the time of each call, equal to a fresh evaluation', async () => {
    const isbn = freshIsbn();
    await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, {
        identifiers: [{ scheme: 'isbn', value: isbn.isbn13 }],
        policy: {
          'ai-train': {
            kind: 'license',
            terms: { price: { amountMinor: 5000, currency: 'KRW' }, unit: 'per-work', attribution: true },
          },
        },
      }),
    );
    const request = {
      regime: 'permission-first' as const,
      use: 'ai-train' as const,
      items: [{ id: 'one', identifier: { scheme: 'isbn' as const, value: isbn.isbn13 } }],
    };
    const first = await registry.check.check(checker, request);
    get().deps.advance(5);
    const second = await registry.check.check(checker, request);
    expect(second.at > first.at).toBe(true);
    expect(verdictOf(second.results[0]).verdict.evaluatedAt).toBe(second.at);
    expect(verdictOf(second.results[0]).verdict.outcome).toBe('license-required');
    // A service with an empty cache, at its own time, gives the same answer but for the time.
    const fresh = await new CheckService(registry.database, get().deps).check(checker, request);
    expect(withoutTime(second.results[0])).toEqual(withoutTime(fresh.results[0]));
    expect(withoutTime(first.results[0])).toEqual(withoutTime(fresh.results[0]));
  });

  it('sees a policy changed by this process at once, for every regime and use already answered', async () => {
    const isbn = freshIsbn();
    const work = await registry.works.registerWork(
      creator.actor,
      workOf(creator.holderId, {
        identifiers: [{ scheme: 'isbn', value: isbn.isbn13 }],
        policy: { 'ai-train': { kind: 'allow' } },
      }),
    );
    const items = [{ identifier: { scheme: 'isbn' as const, value: isbn.isbn13 } }];
    const before = await registry.check.check(checker, { regime: 'opt-out', use: 'ai-train', items });
    expect(verdictOf(before.results[0]).verdict.outcome).toBe('cleared');
    await registry.works.setPolicy(creator.actor, work.id, 'ai-train', { kind: 'deny' });
    const after = await registry.check.check(checker, { regime: 'opt-out', use: 'ai-train', items });
    expect(verdictOf(after.results[0]).verdict.outcome).toBe('blocked');
  });

  it('answers many items, repeated and mixed with unreadable ones, as one at a time would', async () => {
    const isbns = [freshIsbn(), freshIsbn()];
    for (const [i, isbn] of isbns.entries()) {
      await registry.works.registerWork(
        creator.actor,
        workOf(creator.holderId, {
          identifiers: [{ scheme: 'isbn', value: isbn.isbn13 }],
          policy: { search: { kind: i === 0 ? 'deny' : 'allow' } },
        }),
      );
    }
    const items = [
      { id: 'a', identifier: { scheme: 'isbn' as const, value: isbns[0]!.isbn13 } },
      { id: 'bad', identifier: { scheme: 'isbn' as const, value: '123' } },
      { id: 'b', identifier: { scheme: 'isbn' as const, value: isbns[1]!.isbn13 } },
      { id: 'a-again', identifier: { scheme: 'isbn' as const, value: isbns[0]!.isbn10 } },
      { id: 'nothing', url: 'https://unregistered.example/x' },
    ];
    const together = await registry.check.check(checker, { regime: 'opt-out', use: 'search', items });
    for (const [index, item] of items.entries()) {
      const alone = await registry.check.check(checker, { regime: 'opt-out', use: 'search', items: [item] });
      expect(withoutTime(together.results[index])).toEqual(withoutTime(alone.results[0]));
    }
    expect(together.results.map((r) => ('verdict' in r ? r.verdict.outcome : r.error.code))).toEqual([
      'blocked',
      'IDENTIFIER_INVALID',
      'cleared',
      'blocked',
      'cleared',
    ]);
  });
});

describe('check: a registry verdict depends on the time only through evaluatedAt (what the answer cache relies on)', () => {
  const stance: fc.Arbitrary<Stance> = fc.oneof(
    fc.constantFrom<Stance>({ kind: 'allow' }, { kind: 'deny' }, { kind: 'unknown' }),
    fc.record({
      kind: fc.constant('license' as const),
      terms: fc.record({
        price: fc.record({ amountMinor: fc.nat({ max: 1_000_000 }), currency: fc.constantFrom('KRW', 'EUR') }),
        unit: fc.constantFrom('per-work' as const),
        attribution: fc.boolean(),
        validity: fc.record({ from: fc.constant('2026-01-01T00:00:00Z'), until: fc.constant('2026-06-01T00:00:00Z') }),
      }),
    }),
  );
  const registryStatement: fc.Arbitrary<Statement> = fc
    .record({ work: fc.constantFrom('w1', 'w2'), use: fc.constantFrom(...USES), stance })
    .map(({ work, use, stance: s }) => ({
      kind: 'preference',
      id: `${work}/${use}`,
      source: { kind: 'registry', registry: 'heoga.test', workId: work },
      uses: [use],
      stance: s,
      observedAt: '2026-03-01T00:00:00.000Z',
    }));
  const time = fc
    .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') })
    .map((ms) => new Date(ms).toISOString());

  it('holds for any registry statements, regime, use and pair of times', () => {
    fc.assert(
      fc.property(
        fc.array(registryStatement, { maxLength: 6 }),
        fc.constantFrom(...REGIME_IDS),
        fc.constantFrom(...USES),
        time,
        time,
        (statements, regime, use, a, b) => {
          const early = evaluate({ statements, regime, use, at: a });
          const late = evaluate({ statements, regime, use, at: b });
          expect({ ...late, evaluatedAt: a }).toStrictEqual(early);
        },
      ),
      { numRuns: 500 },
    );
  });
});
