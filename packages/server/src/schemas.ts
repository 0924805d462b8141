import {
  CURRENCY_CODES,
  IDENTIFIER_SCHEMES,
  METADATA_FORMATS,
  PRICE_UNITS,
  REGIME_IDS,
  SIGNAL_PROTOCOLS,
  USER_TYPES,
  USE_SCOPES,
  USES,
} from '@heoga/core';
import { CONTRIBUTOR_ROLES, ROLES, SCOPES, WORK_KINDS, WORK_LIMITS } from '@heoga/registry';
import { z } from 'zod';

/**
 * The API's request and response shapes, from which the OpenAPI document is generated. Request schemas check
 * shape (400 REQUEST_INVALID); the registry then checks meaning (422 VALIDATION_FAILED: check digits, shares…).
 */

const id = z.string().min(1).max(100);

/** A response list: readonly, as the registry returns them. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const time = z.string().describe('RFC 3339 date-time');

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string(),
    requestId: z.string(),
    errors: list(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details, with our stable `code`' });

export const licenceTermsSchema = z
  .object({
    price: z.object({
      amountMinor: z.number().int().nonnegative().describe('integer minor units of the currency (KRW has none)'),
      currency: z.enum(CURRENCY_CODES as [string, ...string[]]),
    }),
    unit: z.enum(PRICE_UNITS),
    attribution: z.boolean(),
    scope: z
      .object({ users: list(z.enum(USER_TYPES)).optional(), territories: list(z.string()).optional() })
      .optional(),
    validity: z
      .object({ from: time.optional(), until: time.optional(), durationDays: z.number().int().optional() })
      .optional(),
  })
  .meta({ id: 'LicenceTerms' });

export const stanceSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('allow') }),
    z.object({ kind: z.literal('deny') }),
    z.object({ kind: z.literal('unknown') }),
    z.object({ kind: z.literal('license'), terms: licenceTermsSchema }),
  ])
  .meta({ id: 'Stance' });

const policySchema = z
  .object(Object.fromEntries(USES.map((u) => [u, stanceSchema])) as Record<(typeof USES)[number], typeof stanceSchema>)
  .meta({ id: 'Policy' });
const policyInputSchema = z.object(
  Object.fromEntries(USES.map((u) => [u, stanceSchema.optional()])) as Record<
    (typeof USES)[number],
    z.ZodOptional<typeof stanceSchema>
  >,
);

export const accountSchema = z
  .object({
    id,
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    createdAt: time,
    rightsHolderId: z.string().optional(),
  })
  .meta({ id: 'Account' });

export const signUpBody = z.strictObject({
  email: z.string().max(254),
  password: z.string().max(1024),
  displayName: z.string().max(200),
  role: z.enum(['creator', 'org-admin', 'developer']).describe('auditor and operator accounts are made by an operator'),
});

export const signInBody = z.strictObject({ email: z.string().max(254), password: z.string().max(1024) });

export const sessionSchema = z
  .object({
    account: accountSchema,
    csrfToken: z.string().describe('send as x-csrf-token on writes made with the session cookie'),
    expiresAt: time,
  })
  .meta({ id: 'Session' });

export const apiKeyInfoSchema = z
  .object({
    id,
    name: z.string(),
    prefix: z.string(),
    scopes: list(z.enum(SCOPES)),
    createdAt: time,
    lastUsedAt: time.nullable(),
    revokedAt: time.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeyBody = z.strictObject({
  name: z.string().max(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
});

export const newApiKeySchema = z
  .object({ key: z.string().describe('shown once: store it now'), info: apiKeyInfoSchema })
  .meta({ id: 'NewApiKey' });

export const organisationSchema = z
  .object({ id, name: z.string(), rightsHolderId: id, createdAt: time })
  .meta({ id: 'Organisation' });
export const organisationBody = z.strictObject({ name: z.string().max(200) });
export const memberBody = z.strictObject({ email: z.string().max(254), role: z.enum(['admin', 'member']) });
export const mandateBody = z.strictObject({ rightsHolderId: id });
export const mandateSchema = z
  .object({ id, organisationId: id, rightsHolderId: id, grantedBy: id, createdAt: time, revokedAt: time.nullable() })
  .meta({ id: 'Mandate' });

export const rightsHolderSchema = z
  .object({ id, kind: z.enum(['person', 'organisation']), name: z.string(), hasAccount: z.boolean(), createdAt: time })
  .meta({ id: 'RightsHolder' });
export const rightsHolderBody = z.strictObject({
  kind: z.enum(['person', 'organisation']),
  name: z.string().max(200),
  organisationId: id.optional(),
});

const titleSchema = z.object({ lang: z.string().max(35), title: z.string().max(1000) });
const identifierSchema = z.object({ scheme: z.enum(IDENTIFIER_SCHEMES), value: z.string().max(2048) });

export const workBody = z
  .strictObject({
    kind: z.enum(WORK_KINDS),
    titles: z.array(titleSchema).min(1).max(20),
    identifiers: z.array(identifierSchema).max(100).optional(),
    rightsHolders: z
      .array(
        z.object({
          rightsHolderId: id,
          role: z.enum(CONTRIBUTOR_ROLES),
          share: z.number().describe('percent, at most two decimals; shares add up to 100'),
        }),
      )
      .min(1)
      .max(50),
    fingerprints: z
      .array(
        z.object({
          algorithm: z
            .string()
            .max(55)
            .describe(
              'a lower-case name with an optional version: sha256, pdq/1, winnow-c13-w16/1 (docs/fingerprints.md)',
            ),
          value: z
            .string()
            .max(WORK_LIMITS.largeFingerprintChars)
            .describe(
              `at most ${WORK_LIMITS.fingerprintChars} characters, or ${WORK_LIMITS.largeFingerprintChars} for winnow-c13-w16/1 and vpdq-1fps/1; values of heoga's algorithms must parse`,
            ),
          fileSha256: z.string().max(64).optional(),
        }),
      )
      .max(100)
      .optional(),
    policy: policyInputSchema.optional().describe('a stance per use; uses left out are unknown'),
    externalId: z.string().max(200).optional(),
    organisationId: id.optional(),
  })
  .meta({ id: 'WorkBody' });

export const workSchema = z
  .object({
    id,
    kind: z.string(),
    status: z.enum(['active', 'disputed']),
    version: z.number().int(),
    externalId: z.string().nullable(),
    organisationId: z.string().nullable(),
    titles: list(titleSchema),
    identifiers: list(z.object({ scheme: z.string(), value: z.string(), display: z.string() })),
    rightsHolders: list(z.object({ rightsHolderId: id, name: z.string(), role: z.string(), share: z.number() })),
    fingerprints: list(z.object({ algorithm: z.string(), value: z.string(), fileSha256: z.string().nullable() })),
    policy: policySchema,
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Work' });

export const publicWorkSchema = z
  .object({
    id,
    kind: z.string(),
    status: z.enum(['active', 'disputed']),
    titles: list(titleSchema),
    identifiers: list(z.object({ scheme: z.string(), value: z.string(), display: z.string() })),
    policy: policySchema.describe(
      'effective policy: for a disputed work, the most restrictive stance of the works in dispute',
    ),
    updatedAt: time,
  })
  .meta({ id: 'PublicWork' });

export const workPageSchema = z
  .object({ items: list(workSchema), nextCursor: z.string().optional() })
  .meta({ id: 'WorkPage' });

export const disputeSchema = z
  .object({
    id,
    workId: id,
    otherWorkId: id,
    claimKind: z.string(),
    claim: z.string(),
    status: z.enum(['open', 'resolved']),
    openedAt: time,
    resolvedAt: time.nullable(),
    resolution: z.string().nullable(),
  })
  .meta({ id: 'Dispute' });
export const resolveDisputeBody = z.strictObject({ resolution: z.string().max(2000), removeClaimFrom: id.optional() });

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('registry'),
    registry: z.string(),
    workId: z.string(),
    rightsHolderId: z.string().optional(),
  }),
  z.object({ kind: z.literal('site-signal'), protocol: z.enum(SIGNAL_PROTOCOLS), url: z.string() }),
  z.object({
    kind: z.literal('embedded-metadata'),
    format: z.enum(METADATA_FORMATS),
    location: z.string().optional(),
    signer: z.string().optional(),
  }),
  z.object({ kind: z.literal('licence'), licenceId: z.string(), issuer: z.string(), licensee: z.string().optional() }),
]);

const statementSchema = z
  .object({
    kind: z.enum(['preference', 'licence-held']),
    id: z.string().optional(),
    source: sourceSchema,
    uses: list(z.enum(USE_SCOPES as [string, ...string[]])),
    stance: stanceSchema.optional(),
    observedAt: time.optional(),
    validFrom: time.optional(),
    validUntil: time.optional(),
    revokedAt: time.optional(),
  })
  .meta({ id: 'Statement' });

export const verdictSchema = z
  .object({
    outcome: z.enum(['cleared', 'blocked', 'license-required', 'unknown']),
    use: z.enum(USES),
    regime: z.enum(REGIME_IDS),
    standing: z.enum(['refused', 'licensed', 'offered', 'allowed', 'unknown']),
    reason: z.string(),
    evidence: list(z.object({ effect: z.string(), decisive: z.boolean(), statement: statementSchema })),
    quote: z
      .object({ use: z.enum(USES), offers: list(z.object({ statement: statementSchema, terms: licenceTermsSchema })) })
      .optional(),
    accrual: z
      .object({ basis: z.literal('statutory-tariff'), payee: z.enum(['rights-holders', 'unclaimed-pool']) })
      .optional(),
    flags: list(z.string()),
    evaluatedAt: time,
  })
  .meta({ id: 'Verdict' });

export const checkBody = z
  .strictObject({
    regime: z.enum(REGIME_IDS),
    use: z.enum(USES),
    items: z
      .array(
        z.strictObject({
          id: z.string().max(200).optional(),
          identifier: identifierSchema.optional(),
          url: z.string().max(2048).optional(),
          sha256: z.string().max(64).optional(),
        }),
      )
      .min(1)
      .max(1000)
      .describe('each item gives exactly one of identifier, url or sha256'),
  })
  .meta({ id: 'CheckRequest' });

export const checkResponseSchema = z
  .object({
    regime: z.string(),
    use: z.string(),
    at: time,
    results: list(
      z.union([
        z.object({
          id: z.string().optional(),
          matches: list(z.object({ workId: z.string(), via: z.enum(['identifier', 'url', 'url-prefix', 'sha256']) })),
          verdict: verdictSchema,
        }),
        z.object({
          id: z.string().optional(),
          error: z.object({ code: z.literal('IDENTIFIER_INVALID'), message: z.string() }),
        }),
      ]),
    ),
  })
  .meta({ id: 'CheckResponse' });

export const importReportSchema = z
  .object({
    outcome: z.enum(['committed', 'dry-run', 'rejected']),
    importId: z.string().nullable(),
    organisationId: z.string(),
    fileSha256: z.string(),
    rowsTotal: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    errors: list(z.object({ line: z.number().int(), path: z.string(), message: z.string() })),
  })
  .meta({ id: 'ImportReport' });

export const eventSchema = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    type: z.string(),
    actorId: z.string().nullable(),
    subjectType: z.string(),
    subjectId: z.string(),
    at: time,
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .meta({ id: 'Event' });

/** Standard error responses every route may give. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  412: problemSchema,
  413: problemSchema,
  422: problemSchema,
  429: problemSchema,
  500: problemSchema,
} as const;

export const idParams = z.strictObject({ id });
