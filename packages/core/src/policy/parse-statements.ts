import { z } from 'zod';
import { formatIssuePath, InvalidInputError, type InputIssue, type ParseResult } from '../errors.js';
import { isCurrencyCode } from './currency.js';
import { PRICE_UNITS, USER_TYPES, type LicenceTerms } from './licence-terms.js';
import { METADATA_FORMATS, SIGNAL_PROTOCOLS, type Statement } from './statement.js';
import { USE_SCOPES, type UseScope } from './uses.js';
import { isRfc3339, parseRfc3339 } from '../util/time.js';

/** Limits on untrusted statement input, so that a hostile file cannot exhaust memory or time. */
export const STATEMENT_LIMITS = {
  maxStatements: 10_000,
  maxText: 2_048,
} as const;

const text = z.string().min(1).max(STATEMENT_LIMITS.maxText);
const time = z
  .string()
  .max(64)
  .refine(isRfc3339, { message: 'expected an RFC 3339 date-time such as 2026-11-25T09:00:00Z' });
const useScope = z.enum(USE_SCOPES as [UseScope, ...UseScope[]]);
const uses = z
  .array(useScope)
  .min(1)
  .max(USE_SCOPES.length * 4);

const money = z.strictObject({
  amountMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currency: z
    .string()
    .refine(isCurrencyCode, { message: 'expected an active ISO 4217 currency code such as KRW or EUR' }),
});

const licenceTerms = z.strictObject({
  price: money,
  unit: z.enum(PRICE_UNITS),
  attribution: z.boolean(),
  scope: z
    .strictObject({
      users: z.array(z.enum(USER_TYPES)).min(1).max(USER_TYPES.length).optional(),
      territories: z
        .array(z.string().regex(/^(?:[A-Z]{2})$/, 'expected an ISO 3166-1 alpha-2 code (upper case) or EU'))
        .min(1)
        .max(300)
        .optional(),
    })
    .optional(),
  validity: z
    .strictObject({
      from: time.optional(),
      until: time.optional(),
      durationDays: z.number().int().positive().max(36_500).optional(),
    })
    .refine((v) => v.from === undefined || v.until === undefined || parseRfc3339(v.from)! < parseRfc3339(v.until)!, {
      message: 'from must be before until',
      path: ['until'],
    })
    .optional(),
});

const stance = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('allow') }),
  z.strictObject({ kind: z.literal('deny') }),
  z.strictObject({ kind: z.literal('license'), terms: licenceTerms }),
  z.strictObject({ kind: z.literal('unknown') }),
]);

const preferenceSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('registry'), registry: text, workId: text, rightsHolderId: text.optional() }),
  z.strictObject({ kind: z.literal('site-signal'), protocol: z.enum(SIGNAL_PROTOCOLS), url: text }),
  z.strictObject({
    kind: z.literal('embedded-metadata'),
    format: z.enum(METADATA_FORMATS),
    location: text.optional(),
    signer: text.optional(),
  }),
]);

const preferenceStatement = z.strictObject({
  kind: z.literal('preference').default('preference'),
  id: text.optional(),
  source: preferenceSource,
  uses,
  stance,
  observedAt: time.optional(),
});

const licenceHeldStatement = z
  .strictObject({
    kind: z.literal('licence-held'),
    id: text.optional(),
    source: z.strictObject({ kind: z.literal('licence'), licenceId: text, issuer: text, licensee: text.optional() }),
    uses,
    validFrom: time.optional(),
    validUntil: time.optional(),
    revokedAt: time.optional(),
    observedAt: time.optional(),
  })
  .refine(
    (s) =>
      s.validFrom === undefined ||
      s.validUntil === undefined ||
      parseRfc3339(s.validFrom)! < parseRfc3339(s.validUntil)!,
    { message: 'validFrom must be before validUntil', path: ['validUntil'] },
  );

const statement = z.union([licenceHeldStatement, preferenceStatement]);

const statementList = z.array(statement).max(STATEMENT_LIMITS.maxStatements);

const statementDocument = z.union([statementList, z.strictObject({ statements: statementList })]);

function toIssues(error: z.ZodError): InputIssue[] {
  const issues: InputIssue[] = [];
  const visit = (list: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): void => {
    for (const issue of list) {
      if (issue.code === 'invalid_union' && issue.errors.length > 0) {
        // Report the branch that got furthest: the one with the fewest issues.
        const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
        visit(best, [...prefix, ...issue.path]);
        continue;
      }
      issues.push({ path: formatIssuePath([...prefix, ...issue.path]), message: issue.message });
    }
  };
  visit(error.issues, []);
  return issues;
}

function dropUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Parses untrusted JSON (already decoded) into statements: either an array of statements or `{ "statements": [...] }`.
 * A preference statement may leave out `kind`. Never throws: malformed input gives `{ ok: false, issues }` with a
 * JSON path for each problem. The statement format is documented in docs/policy.md.
 *
 * @example
 * ```ts
 * const parsed = parseStatements([{ source: { kind: 'registry', registry: 'heoga', workId: 'w1' }, uses: ['all'], stance: { kind: 'deny' } }]);
 * if (parsed.ok) parsed.value[0].stance.kind // 'deny'
 * ```
 */
export function parseStatements(input: unknown): ParseResult<readonly Statement[]> {
  let result: ReturnType<typeof statementDocument.safeParse>;
  try {
    result = statementDocument.safeParse(input);
  } catch (cause) {
    // Hostile input (getters that throw, cyclic proxies) must still give a typed result.
    return { ok: false, issues: [{ path: '(root)', message: `unreadable input: ${String(cause)}` }] };
  }
  if (!result.success) return { ok: false, issues: toIssues(result.error) };
  const list = Array.isArray(result.data) ? result.data : result.data.statements;
  return { ok: true, value: dropUndefined(list) as readonly Statement[] };
}

/**
 * Like `parseStatements`, but throws `InvalidInputError` (`STATEMENTS_INVALID`) listing every issue.
 *
 * @example
 * ```ts
 * const statements = parseStatementsOrThrow(JSON.parse(text));
 * ```
 */
export function parseStatementsOrThrow(input: unknown): readonly Statement[] {
  const parsed = parseStatements(input);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    const summary = first ? `${first.path}: ${first.message}` : 'invalid';
    const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : '';
    throw new InvalidInputError('STATEMENTS_INVALID', `invalid statements: ${summary}${more}`, parsed.issues);
  }
  return parsed.value;
}

/** The licence terms schema, for other packages that accept terms (the registry's API). */
export function parseLicenceTerms(input: unknown): ParseResult<LicenceTerms> {
  const result = licenceTerms.safeParse(input);
  return result.success
    ? { ok: true, value: dropUndefined(result.data) as LicenceTerms }
    : { ok: false, issues: toIssues(result.error) };
}
