import {
  CHROMAPRINT_TEST2,
  decompressChromaprint,
  IDENTIFIER_SCHEMES,
  parseIdentifier,
  parseLicenceTerms,
  parsePdq,
  parseTextFingerprint,
  parseVideoFingerprint,
  PDQ_ALGORITHM,
  TEXT_FINGERPRINT_ALGORITHMS,
  USES,
  VIDEO_ALGORITHM,
  type ParseResult,
  type Stance,
  type Use,
} from '@heoga/core';
import { z } from 'zod';

/** The kinds of work (DESIGN §3). */
export const WORK_KINDS = ['text', 'image', 'audio', 'video'] as const;

/** A kind of work. */
export type WorkKind = (typeof WORK_KINDS)[number];

/** The part a rights holder has in a work. */
export const CONTRIBUTOR_ROLES = [
  'author',
  'translator',
  'illustrator',
  'composer',
  'lyricist',
  'performer',
  'producer',
  'publisher',
  'broadcaster',
  'other',
] as const;

/** Limits on one work's input, so that no request can make an unbounded record. */
export const WORK_LIMITS = {
  titles: 20,
  identifiers: 100,
  rightsHolders: 50,
  fingerprints: 100,
  /** Characters of one fingerprint value of an algorithm heoga does not know (stored opaquely). */
  fingerprintChars: 65_536,
  /**
   * Characters of the values that grow with the work: winnowing fingerprints (a 300,000-character novel gives about
   * 420,000) and video frames (an hour gives about 178,000). A bigger work is registered in parts.
   */
  largeFingerprintChars: 900_000,
} as const;

/** Algorithms whose values grow with the work's length, allowed up to `largeFingerprintChars`. */
const LARGE_FINGERPRINTS: ReadonlySet<string> = new Set(['winnow-c13-w16/1', VIDEO_ALGORITHM]);

/**
 * The parsers of the fingerprint algorithms heoga computes: a value under one of these names must be well formed,
 * so that the scanner's index never meets a fingerprint it cannot read. Other names are stored opaquely.
 */
const KNOWN_FINGERPRINTS: ReadonlyMap<string, (value: string) => ParseResult<unknown>> = new Map<
  string,
  (value: string) => ParseResult<unknown>
>([
  ...TEXT_FINGERPRINT_ALGORITHMS.map((a) => [a, (value: string) => parseTextFingerprint(a, value)] as const),
  [PDQ_ALGORITHM, parsePdq],
  [VIDEO_ALGORITHM, parseVideoFingerprint],
  [CHROMAPRINT_TEST2.registryAlgorithm, (value: string) => decompressChromaprint(value)],
]);

const stanceInput: z.ZodType<Stance> = z.unknown().transform((value, ctx): Stance => {
  const v = value as { kind?: unknown; terms?: unknown } | null;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if ((v.kind === 'allow' || v.kind === 'deny' || v.kind === 'unknown') && keys.length === 1) return { kind: v.kind };
    if (v.kind === 'license' && keys.every((k) => k === 'kind' || k === 'terms')) {
      const terms = parseLicenceTerms(v.terms);
      if (terms.ok) return { kind: 'license', terms: terms.value };
      for (const issue of terms.issues)
        ctx.addIssue({
          code: 'custom',
          message: issue.message,
          path: ['terms', ...issue.path.split(/[.[\]]+/).filter(Boolean)],
        });
      return z.NEVER;
    }
  }
  ctx.addIssue({
    code: 'custom',
    message: 'expected {"kind":"allow"|"deny"|"unknown"} or {"kind":"license","terms":{…}}',
  });
  return z.NEVER;
});

/** A stance per use; uses left out are `unknown`. */
export const policyInput = z.partialRecord(z.enum(USES), stanceInput);

const lang = z
  .string()
  .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as ko, en or zh-Hant');

/** A work as given by a creator, an organisation or a catalog row. */
export const workInput = z
  .strictObject({
    kind: z.enum(WORK_KINDS),
    titles: z
      .array(z.strictObject({ lang, title: z.string().trim().min(1).max(1000) }))
      .min(1)
      .max(WORK_LIMITS.titles),
    identifiers: z
      .array(z.strictObject({ scheme: z.enum(IDENTIFIER_SCHEMES), value: z.string().min(1).max(2048) }))
      .max(WORK_LIMITS.identifiers)
      .default([]),
    rightsHolders: z
      .array(
        z.strictObject({
          rightsHolderId: z.string().min(1).max(100),
          role: z.enum(CONTRIBUTOR_ROLES),
          /** Percent with at most two decimals; a work's shares add up to 100. */
          share: z.number().positive().max(100),
        }),
      )
      .min(1)
      .max(WORK_LIMITS.rightsHolders),
    fingerprints: z
      .array(
        z.strictObject({
          algorithm: z
            .string()
            .regex(
              /^[a-z0-9][a-z0-9._-]{0,47}(?:\/[0-9]{1,6})?$/,
              'expected a lower-case algorithm name with an optional version, such as sha256 or pdq/1',
            ),
          value: z.string().min(1).max(WORK_LIMITS.largeFingerprintChars),
          fileSha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits')
            .optional(),
        }),
      )
      .max(WORK_LIMITS.fingerprints)
      .default([])
      .superRefine((fingerprints, ctx) => {
        fingerprints.forEach(({ algorithm, value }, i) => {
          const limit = LARGE_FINGERPRINTS.has(algorithm)
            ? WORK_LIMITS.largeFingerprintChars
            : WORK_LIMITS.fingerprintChars;
          if (value.length > limit) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'value'],
              message: `at most ${limit} characters for ${algorithm}`,
            });
            return;
          }
          const parsed = KNOWN_FINGERPRINTS.get(algorithm)?.(value);
          if (parsed && !parsed.ok) {
            const why = parsed.issues[0]?.message ?? 'malformed';
            ctx.addIssue({ code: 'custom', path: [i, 'value'], message: `not a valid ${algorithm} value: ${why}` });
          }
        });
      }),
    policy: policyInput.default({}),
    externalId: z.string().trim().min(1).max(200).optional(),
    organisationId: z.string().min(1).max(100).optional(),
  })
  .transform((work, ctx) => {
    const identifiers = work.identifiers.flatMap((id, i) => {
      const parsed = parseIdentifier(id.scheme, id.value);
      if (parsed.ok) return [parsed.value];
      for (const issue of parsed.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['identifiers', i, 'value'] });
      return [];
    });
    const rightsHolders = work.rightsHolders.map((rh, i) => {
      const shareBp = Math.round(rh.share * 100);
      if (Math.abs(rh.share * 100 - shareBp) > 1e-6) {
        ctx.addIssue({
          code: 'custom',
          message: 'a share has at most two decimals',
          path: ['rightsHolders', i, 'share'],
        });
      }
      return { rightsHolderId: rh.rightsHolderId, role: rh.role, shareBp };
    });
    const total = rightsHolders.reduce((sum, rh) => sum + rh.shareBp, 0);
    if (total !== 10_000) {
      ctx.addIssue({
        code: 'custom',
        message: `shares add up to ${total / 100} %, not 100 %`,
        path: ['rightsHolders'],
      });
    }
    const seen = new Set<string>();
    for (const [i, rh] of rightsHolders.entries()) {
      const key = `${rh.rightsHolderId}/${rh.role}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          message: 'the same rights holder twice in the same role',
          path: ['rightsHolders', i],
        });
      seen.add(key);
    }
    const uniqueIdentifiers = [...new Map(identifiers.map((id) => [`${id.scheme}:${id.value}`, id])).values()];
    const policy = Object.fromEntries(USES.map((u) => [u, work.policy[u] ?? { kind: 'unknown' }])) as Record<
      Use,
      Stance
    >;
    return { ...work, identifiers: uniqueIdentifiers, rightsHolders, policy };
  });

/** A work as given (before validation). */
export type WorkInput = z.input<typeof workInput>;

/** A validated, normalised work ready to store. */
export type ValidWork = z.output<typeof workInput>;
