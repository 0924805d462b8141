import type { InputIssue } from '../errors.js';
import type { PolicyByUse } from '../policy/protocol-vocabulary.js';
import { writeProtocolWords } from '../policy/protocol-vocabulary.js';
import { compilePathPattern, exceedsUtf8Bytes, matchPathPattern, MAX_SIGNAL_BYTES } from './tdmrep-path-pattern.js';

/**
 * The W3C TDM Reservation Protocol (research/signals.md §1): `/.well-known/tdmrep.json`, the `tdm-reservation` and
 * `tdm-policy` HTTP headers, HTML `<meta>` values and EPUB/PDF metadata, and the normative order that combines them.
 */

/** The three states of a TDM reservation: `1`, `0`, or nothing usable (absent, or a protocol error). */
export type TdmReservation = 'reserved' | 'not-reserved' | 'unset';

/** A parse outcome that may carry warnings beside the value. */
export type TdmrepParseResult<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly InputIssue[] }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

/** One rule of a tdmrep.json file, in file order. */
export interface TdmrepRule {
  /** The rule's position in the file's array. */
  readonly index: number;
  readonly location: string;
  /** `unset` when the file gave a value other than `0` or `1` (a protocol error). */
  readonly reservation: TdmReservation;
  readonly policyUrl?: string;
}

/** A parsed tdmrep.json. */
export interface TdmrepFile {
  readonly rules: readonly TdmrepRule[];
}

/** The most rules heoga reads from one tdmrep.json. */
export const MAX_TDMREP_RULES = 10_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isHttpUrl = (value: string): boolean => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value) && value.length <= 2048;

function readReservationValue(value: unknown): TdmReservation | undefined {
  if (value === 1) return 'reserved';
  if (value === 0) return 'not-reserved';
  return undefined;
}

/**
 * Parses `/.well-known/tdmrep.json`. The top level must be a JSON array (TDMRep §3.2: brackets are mandatory even
 * for one rule); a rule without a string `location` is skipped with a warning, and a `tdm-reservation` other than
 * `0` or `1` is a protocol error that leaves that rule `unset`. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseTdmrepJson('[{ "location": "/", "tdm-reservation": 1 }]');
 * if (parsed.ok) evaluateTdmrep(parsed.value, '/a').reservation // 'reserved'
 * ```
 */
export function parseTdmrepJson(text: string): TdmrepParseResult<TdmrepFile> {
  if (typeof text !== 'string') return { ok: false, issues: [{ path: '', message: 'expected text' }] };
  if (exceedsUtf8Bytes(text)) {
    return { ok: false, issues: [{ path: '', message: `tdmrep.json is larger than ${MAX_SIGNAL_BYTES} bytes` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, issues: [{ path: '', message: 'tdmrep.json is not valid JSON' }] };
  }
  if (!Array.isArray(json)) {
    return { ok: false, issues: [{ path: '', message: 'tdmrep.json must be a JSON array of rules' }] };
  }
  const warnings: InputIssue[] = [];
  const rules: TdmrepRule[] = [];
  if (json.length > MAX_TDMREP_RULES) {
    warnings.push({ path: '', message: `only the first ${MAX_TDMREP_RULES} rules are read` });
  }
  json.slice(0, MAX_TDMREP_RULES).forEach((entry: unknown, index) => {
    const path = `[${index}]`;
    if (!isRecord(entry)) {
      warnings.push({ path, message: 'a rule must be an object; skipped' });
      return;
    }
    const location = entry['location'];
    if (typeof location !== 'string' || location.length === 0) {
      warnings.push({ path: `${path}.location`, message: 'location is mandatory and must be a string; rule skipped' });
      return;
    }
    let reservation = readReservationValue(entry['tdm-reservation']);
    if (reservation === undefined) {
      warnings.push({
        path: `${path}.tdm-reservation`,
        message: 'tdm-reservation must be 0 or 1; any other value is a protocol error and leaves the rule unset',
      });
      reservation = 'unset';
    }
    const policy = entry['tdm-policy'];
    let policyUrl: string | undefined;
    if (policy !== undefined) {
      if (typeof policy === 'string' && isHttpUrl(policy)) policyUrl = policy;
      else warnings.push({ path: `${path}.tdm-policy`, message: 'tdm-policy must be an http(s) URL; ignored' });
    }
    rules.push({ index, location, reservation, ...(policyUrl !== undefined ? { policyUrl } : {}) });
  });
  return { ok: true, value: { rules }, warnings };
}

/** What a tdmrep.json says about one path. */
export interface TdmrepEvaluation {
  readonly reservation: TdmReservation;
  /** The TDM policy, given only with a reservation (agents SHOULD NOT process a policy given with `0`). */
  readonly policyUrl?: string;
  /** The index of the rule that decided, or absent when no rule matched. */
  readonly ruleIndex?: number;
}

/**
 * Evaluates a tdmrep.json for a path (path and query, e.g. `/gallery/a.jpg`). Unlike robots.txt, the FIRST matching
 * rule in array order wins (TDMRep §3.2), not the longest. No match: `unset`.
 *
 * @example
 * ```ts
 * evaluateTdmrep({ rules: [{ index: 0, location: '/', reservation: 'reserved' }] }, '/x') // { reservation: 'reserved', ruleIndex: 0 }
 * ```
 */
export function evaluateTdmrep(file: TdmrepFile, path: string): TdmrepEvaluation {
  for (const rule of file.rules) {
    if (!matchPathPattern(compilePathPattern(rule.location), path)) continue;
    return {
      reservation: rule.reservation,
      ...(rule.reservation === 'reserved' && rule.policyUrl !== undefined ? { policyUrl: rule.policyUrl } : {}),
      ruleIndex: rule.index,
    };
  }
  return { reservation: 'unset' };
}

/** Where a TDMRep value was read, in the normative processing order (TDMRep §4). */
export const TDMREP_TECHNIQUES = ['well-known-file', 'http-header', 'html-meta', 'epub', 'pdf'] as const;

/** A TDMRep technique. */
export type TdmrepTechnique = (typeof TDMREP_TECHNIQUES)[number];

/** The values one technique gave: `reservation` absent when that technique said nothing. */
export interface TdmrepStep {
  readonly technique: TdmrepTechnique;
  readonly reservation?: 'reserved' | 'not-reserved';
  readonly policyUrl?: string;
  readonly warnings: readonly InputIssue[];
}

/**
 * Reads the `tdm-reservation` and `tdm-policy` values of one technique (header values, `<meta content>` values,
 * EPUB/PDF metadata values: strings in, no DOM). A value other than `1` or `0` is a protocol error: the step says
 * nothing, with a warning. Absent values: the step says nothing.
 *
 * @example
 * ```ts
 * readTdmrepValues('html-meta', '1', 'https://example.com/policy.json') // { technique: 'html-meta', reservation: 'reserved', … }
 * ```
 */
export function readTdmrepValues(
  technique: TdmrepTechnique,
  reservation: string | null | undefined,
  policy?: string | null,
): TdmrepStep {
  const warnings: InputIssue[] = [];
  let value: 'reserved' | 'not-reserved' | undefined;
  if (typeof reservation === 'string') {
    const v = reservation.trim();
    if (v === '1') value = 'reserved';
    else if (v === '0') value = 'not-reserved';
    else {
      warnings.push({
        path: `${technique}.tdm-reservation`,
        message: `tdm-reservation ${JSON.stringify(v.slice(0, 40))} is not 0 or 1: a protocol error, treated as unset`,
      });
    }
  }
  let policyUrl: string | undefined;
  if (typeof policy === 'string' && policy.trim() !== '') {
    const p = policy.trim();
    if (isHttpUrl(p)) policyUrl = p;
    else warnings.push({ path: `${technique}.tdm-policy`, message: 'tdm-policy must be an http(s) URL; ignored' });
  }
  return {
    technique,
    ...(value !== undefined ? { reservation: value } : {}),
    ...(policyUrl !== undefined ? { policyUrl } : {}),
    warnings,
  };
}

/** One `<meta>` as strings: `name` (HTML, EPUB 2), `property` (EPUB 3) and `content`, or the element's text. */
export interface TdmrepMeta {
  readonly name?: string | null;
  readonly property?: string | null;
  readonly content?: string | null;
  /** The element's text, for EPUB 3 `<meta property="tdm:reservation">1</meta>`. */
  readonly text?: string | null;
}

/**
 * Reads TDMRep from `<meta>` elements given as strings: HTML `name="tdm-reservation"` / `name="tdm-policy"`, EPUB 2
 * `name="tdm:reservation"`, EPUB 3 `property="tdm:reservation"` (the value as element text) and the same names in PDF
 * XMP (pass `technique: 'pdf'`). The first element of each kind counts; names compare without regard to case.
 *
 * @example
 * ```ts
 * readTdmrepMeta('html-meta', [{ name: 'tdm-reservation', content: '1' }]).reservation // 'reserved'
 * ```
 */
export function readTdmrepMeta(technique: TdmrepTechnique, metas: readonly TdmrepMeta[]): TdmrepStep {
  const find = (suffix: 'reservation' | 'policy'): string | undefined => {
    const wanted = new Set([`tdm-${suffix}`, `tdm:${suffix}`]);
    for (const meta of metas) {
      const key = (meta.name ?? meta.property ?? '').trim().toLowerCase();
      if (wanted.has(key)) return meta.content ?? meta.text ?? undefined;
    }
    return undefined;
  };
  return readTdmrepValues(technique, find('reservation'), find('policy'));
}

/**
 * Reads the TDMRep response headers through a lookup (`(name) => headers.get(name)`; names are asked in lower case).
 * Repeated headers joined with commas are a protocol error unless every value agrees.
 */
export function readTdmrepHeaders(get: (name: string) => string | null | undefined): TdmrepStep {
  const single = (value: string | null | undefined): string | null | undefined => {
    if (typeof value !== 'string') return value;
    const parts = [...new Set(value.split(',').map((s) => s.trim()))];
    return parts.length === 1 ? parts[0] : value;
  };
  return readTdmrepValues('http-header', single(get('tdm-reservation')), get('tdm-policy'));
}

/** The combined TDMRep answer for one resource, with the step that decided it. */
export interface TdmrepDecision {
  readonly reservation: TdmReservation;
  /** The policy given with the deciding value, when it is a reservation. */
  readonly policyUrl?: string;
  readonly decidedBy?: TdmrepTechnique;
  /** Every step in processing order, as given (provenance). */
  readonly steps: readonly TdmrepStep[];
}

/**
 * Combines the steps in TDMRep's normative order (§4): tdmrep.json, then a response header supersedes it, then HTML
 * meta, then EPUB/PDF metadata. A later value supersedes an earlier one; a step that says nothing (absent, or a
 * protocol error) never resets the current value. Steps may be given in any order.
 *
 * @example
 * ```ts
 * combineTdmrep([readTdmrepValues('html-meta', '0'), readTdmrepValues('well-known-file', '1')]).reservation // 'not-reserved'
 * ```
 */
export function combineTdmrep(steps: readonly TdmrepStep[]): TdmrepDecision {
  const ordered = [...steps].sort(
    (a, b) => TDMREP_TECHNIQUES.indexOf(a.technique) - TDMREP_TECHNIQUES.indexOf(b.technique),
  );
  let decided: TdmrepStep | undefined;
  for (const step of ordered) if (step.reservation !== undefined) decided = step;
  if (!decided || decided.reservation === undefined) return { reservation: 'unset', steps: ordered };
  return {
    reservation: decided.reservation,
    ...(decided.reservation === 'reserved' && decided.policyUrl !== undefined ? { policyUrl: decided.policyUrl } : {}),
    decidedBy: decided.technique,
    steps: ordered,
  };
}

/** A rule to write into tdmrep.json. */
export interface TdmrepRuleInput {
  readonly location: string;
  readonly reservation: 'reserved' | 'not-reserved';
  readonly policyUrl?: string;
}

/**
 * Orders rules specific before general (longer normalised pattern first, stable among equals), so that TDMRep's
 * first-match rule gives the answer robots.txt's longest match would.
 */
export function orderTdmrepRules(rules: readonly TdmrepRuleInput[]): readonly TdmrepRuleInput[] {
  return rules
    .map((rule, i) => ({ rule, i, specificity: compilePathPattern(rule.location).specificity }))
    .sort((a, b) => b.specificity - a.specificity || a.i - b.i)
    .map(({ rule }) => rule);
}

/**
 * Writes `/.well-known/tdmrep.json`, with specific rules before general ones (TDMRep: "the most specific match is
 * the first in sequence").
 *
 * @example
 * ```ts
 * writeTdmrepJson([{ location: '/', reservation: 'reserved' }, { location: '/free/', reservation: 'not-reserved' }])
 * // '[\n  {"location":"/free/","tdm-reservation":0},\n  {"location":"/","tdm-reservation":1}\n]\n'
 * ```
 */
export function writeTdmrepJson(rules: readonly TdmrepRuleInput[]): string {
  const lines = orderTdmrepRules(rules).map((rule) =>
    JSON.stringify({
      location: rule.location,
      'tdm-reservation': rule.reservation === 'reserved' ? 1 : 0,
      ...(rule.policyUrl !== undefined ? { 'tdm-policy': rule.policyUrl } : {}),
    }),
  );
  return lines.length === 0 ? '[]\n' : `[\n  ${lines.join(',\n  ')}\n]\n`;
}

/** What heoga publishes through TDMRep for a policy. */
export interface TdmrepPublication {
  /** `unset`: publish nothing (some AI use has no stated preference, and none is refused or priced). */
  readonly reservation: TdmReservation;
  /** The policy to link, given only with a reservation. */
  readonly policyUrl?: string;
  /** True when some AI use is licensed for a price: the linked policy should carry a `compensate` duty. */
  readonly priced: boolean;
}

/**
 * Decides the TDMRep reservation for a policy. TDMRep reserves all text and data mining at once and cannot separate
 * training from search, so it reserves (`1`) whenever any AI use is refused or priced, and points to the policy for
 * the priced or allowed uses (research/signals.md §1, writer note); `0` only when every AI use is allowed. Search is
 * left to robots.txt.
 *
 * @example
 * ```ts
 * tdmrepForPolicy({ 'ai-train': 'license', 'ai-train-genai': 'license', 'ai-input': 'allow', 'ai-index': 'allow', search: 'allow' },
 *   { policyUrl: 'https://clearing.example/policies/42.json' })
 * // { reservation: 'reserved', policyUrl: 'https://clearing.example/policies/42.json', priced: true }
 * ```
 */
export function tdmrepForPolicy(policy: PolicyByUse, options: { readonly policyUrl?: string } = {}): TdmrepPublication {
  const word = writeProtocolWords('tdmrep', policy).find((w) => w.word === 'tdm');
  const priced = word?.priced ?? false;
  if (word?.value === 'refuse') {
    return {
      reservation: 'reserved',
      ...(options.policyUrl !== undefined ? { policyUrl: options.policyUrl } : {}),
      priced,
    };
  }
  // `0` only when every AI use is allowed; a use without a preference must not be published as cleared.
  return { reservation: word?.value === 'permit' ? 'not-reserved' : 'unset', priced };
}
