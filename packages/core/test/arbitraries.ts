import fc from 'fast-check';
import {
  METADATA_FORMATS,
  PRICE_UNITS,
  REGIME_IDS,
  SIGNAL_PROTOCOLS,
  USES,
  USE_SCOPES,
  type LicenceTerms,
  type PreferenceSource,
  type Stance,
  type Statement,
} from '../src/index.js';

/** RFC 3339 times between 2020 and 2030, in UTC. */
export const time = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

export const use = fc.constantFrom(...USES);
export const regime = fc.constantFrom(...REGIME_IDS);
export const useScopes = fc.uniqueArray(fc.constantFrom(...USE_SCOPES), { minLength: 1, maxLength: 3 });

export const terms: fc.Arbitrary<LicenceTerms> = fc.record(
  {
    price: fc.record({
      amountMinor: fc.nat({ max: 10_000_000 }),
      currency: fc.constantFrom('KRW', 'EUR', 'JPY', 'USD', 'KWD'),
    }),
    unit: fc.constantFrom(...PRICE_UNITS),
    attribution: fc.boolean(),
    scope: fc.record(
      {
        users: fc.uniqueArray(fc.constantFrom('commercial', 'education', 'personal' as const), { minLength: 1 }),
        territories: fc.constant(['KR', 'EU']),
      },
      { requiredKeys: [] },
    ),
    validity: fc.record({ durationDays: fc.integer({ min: 1, max: 3650 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['price', 'unit', 'attribution'] },
);

export const stance: fc.Arbitrary<Stance> = fc.oneof(
  fc.constant({ kind: 'allow' as const }),
  fc.constant({ kind: 'deny' as const }),
  fc.constant({ kind: 'unknown' as const }),
  terms.map((t) => ({ kind: 'license' as const, terms: t })),
);

const label = fc.string({ minLength: 1, maxLength: 12 });

export const preferenceSource: fc.Arbitrary<PreferenceSource> = fc.oneof(
  fc.record({ kind: fc.constant('registry' as const), registry: fc.constant('https://heoga.example'), workId: label }),
  fc.record({
    kind: fc.constant('site-signal' as const),
    protocol: fc.constantFrom(...SIGNAL_PROTOCOLS),
    url: fc.webUrl(),
  }),
  fc.record(
    {
      kind: fc.constant('embedded-metadata' as const),
      format: fc.constantFrom(...METADATA_FORMATS),
      location: label,
      signer: label,
    },
    { requiredKeys: ['kind', 'format'] },
  ),
);

export const preferenceStatement: fc.Arbitrary<Statement> = fc.record(
  {
    kind: fc.constant('preference' as const),
    id: label,
    source: preferenceSource,
    uses: useScopes,
    stance,
    observedAt: time,
  },
  { requiredKeys: ['kind', 'source', 'uses', 'stance'] },
);

export const licenceStatement: fc.Arbitrary<Statement> = fc
  .record({
    id: label,
    licenceId: label,
    uses: useScopes,
    a: fc.option(time, { nil: undefined }),
    b: fc.option(time, { nil: undefined }),
    revokedAt: fc.option(time, { nil: undefined }),
  })
  .map(({ id, licenceId, uses, a, b, revokedAt }) => {
    const [validFrom, validUntil] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
    return {
      kind: 'licence-held' as const,
      id,
      source: { kind: 'licence' as const, licenceId, issuer: 'https://heoga.example' },
      uses,
      ...(validFrom !== undefined ? { validFrom } : {}),
      ...(validUntil !== undefined && validUntil !== validFrom ? { validUntil } : {}),
      ...(revokedAt !== undefined ? { revokedAt } : {}),
    };
  });

export const statement: fc.Arbitrary<Statement> = fc.oneof(
  { weight: 4, arbitrary: preferenceStatement },
  { weight: 1, arbitrary: licenceStatement },
);

export const statements = fc.array(statement, { maxLength: 8 });
