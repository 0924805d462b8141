import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  parseLicenceTerms,
  parseStatements,
  parseStatementsOrThrow,
  STATEMENT_LIMITS,
} from '../index.js';
import { statements, terms } from '../../test/arbitraries.js';

const registry = { kind: 'registry', registry: 'https://heoga.example', workId: 'w1' };

describe('parseStatements', () => {
  it('accepts an array or {statements}, and defaults kind to preference', () => {
    const one = { source: registry, uses: ['ai-train'], stance: { kind: 'deny' } };
    for (const input of [[one], { statements: [one] }]) {
      const parsed = parseStatements(input);
      expect(parsed).toEqual({ ok: true, value: [{ kind: 'preference', ...one }] });
    }
  });

  it('reads a licence held', () => {
    const parsed = parseStatements([
      {
        kind: 'licence-held',
        source: { kind: 'licence', licenceId: 'lic-1', issuer: 'https://heoga.example' },
        uses: ['ai-train'],
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2027-01-01T00:00:00Z',
      },
    ]);
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['not a list', 42, '(root)'],
    ['an unknown use', [{ source: registry, uses: ['train-ai'], stance: { kind: 'deny' } }], '[0].uses[0]'],
    ['no uses', [{ source: registry, uses: [], stance: { kind: 'deny' } }], '[0].uses'],
    ['an unknown stance', [{ source: registry, uses: ['search'], stance: { kind: 'maybe' } }], '[0].stance.kind'],
    [
      'a license without terms',
      [{ source: registry, uses: ['search'], stance: { kind: 'license' } }],
      '[0].stance.terms',
    ],
    [
      'an unknown source',
      [{ source: { kind: 'rumour' }, uses: ['search'], stance: { kind: 'deny' } }],
      '[0].source.kind',
    ],
    ['a typo in a key', [{ source: registry, uses: ['search'], stance: { kind: 'deny' }, observed: 'x' }], '[0]'],
    [
      'a negative amount',
      [
        {
          source: registry,
          uses: ['search'],
          stance: {
            kind: 'license',
            terms: { price: { amountMinor: -1, currency: 'KRW' }, unit: 'per-work', attribution: true },
          },
        },
      ],
      '[0].stance.terms.price.amountMinor',
    ],
    [
      'a lower-case territory',
      [
        {
          source: registry,
          uses: ['search'],
          stance: {
            kind: 'license',
            terms: {
              price: { amountMinor: 1, currency: 'KRW' },
              unit: 'per-work',
              attribution: true,
              scope: { territories: ['kr'] },
            },
          },
        },
      ],
      '[0].stance.terms.scope.territories[0]',
    ],
    [
      'a licence ending before it starts',
      [
        {
          kind: 'licence-held',
          source: { kind: 'licence', licenceId: 'l', issuer: 'i' },
          uses: ['search'],
          validFrom: '2027-01-01T00:00:00Z',
          validUntil: '2026-01-01T00:00:00Z',
        },
      ],
      '[0].validUntil',
    ],
  ])('rejects %s, naming the path', (_what, input, path) => {
    const parsed = parseStatements(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain(path);
  });

  it('bounds the number of statements and the length of strings', () => {
    const many = Array.from({ length: STATEMENT_LIMITS.maxStatements + 1 }, () => ({
      source: registry,
      uses: ['search'],
      stance: { kind: 'deny' },
    }));
    expect(parseStatements(many).ok).toBe(false);
    const long = [
      {
        source: { ...registry, workId: 'x'.repeat(STATEMENT_LIMITS.maxText + 1) },
        uses: ['search'],
        stance: { kind: 'deny' },
      },
    ];
    expect(parseStatements(long).ok).toBe(false);
  });

  it('throws a typed error with every issue from the OrThrow variant', () => {
    try {
      parseStatementsOrThrow([{ source: registry, uses: ['nope'], stance: { kind: 'nope' } }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).code).toBe('STATEMENTS_INVALID');
      expect((error as InvalidInputError).issues.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('survives hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(parseStatements(hostile).ok).toBe(false);
    expect(parseStatements([hostile]).ok).toBe(false);
  });

  it('parse(write(x)) equals x for any statements (property)', () => {
    fc.assert(
      fc.property(statements, (list) => {
        expect(parseStatements(JSON.parse(JSON.stringify(list)))).toEqual({ ok: true, value: list });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any JSON value, and never accepts what it cannot type (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()), fc.record({ statements: fc.array(fc.jsonValue()) })),
        (value) => {
          const parsed = parseStatements(value);
          if (parsed.ok) {
            for (const s of parsed.value) expect(['preference', 'licence-held']).toContain(s.kind);
          } else {
            expect(parsed.issues.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parses licence terms on their own (property round trip)', () => {
    fc.assert(
      fc.property(terms, (t) => {
        expect(parseLicenceTerms(JSON.parse(JSON.stringify(t)))).toEqual({ ok: true, value: t });
      }),
    );
    expect(
      parseLicenceTerms({ price: { amountMinor: 1, currency: 'KRW' }, unit: 'per-month', attribution: true }).ok,
    ).toBe(false);
  });
});
