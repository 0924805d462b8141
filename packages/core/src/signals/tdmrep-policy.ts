import type { InputIssue } from '../errors.js';
import type { PolicyByUse } from '../policy/protocol-vocabulary.js';
import type { Use } from '../policy/uses.js';
import { exceedsUtf8Bytes, MAX_SIGNAL_BYTES } from './tdmrep-path-pattern.js';

/**
 * TDM Policies: the ODRL 2.2 profile of TDMRep (research/signals.md §1, "TDM Policy"), JSON-LD with the contexts
 * `odrl.jsonld` and `tdmrep.jsonld`, `@type: Offer`, permissions whose action is `tdm:mine`.
 */

export const TDM_POLICY_CONTEXT = ['http://www.w3.org/ns/odrl.jsonld', 'http://www.w3.org/ns/tdmrep.jsonld'] as const;
export const TDM_POLICY_PROFILE = 'http://www.w3.org/ns/tdmrep';

/** A duty attached to a TDM permission. */
export type TdmDuty = 'obtainConsent' | 'compensate';

/** The purpose constraint of a permission (experimental in the spec). */
export type TdmPurpose = 'research' | 'non-research';

/** A postal address, from vCard terms. */
export interface TdmAddress {
  readonly streetAddress?: string;
  readonly postalCode?: string;
  readonly locality?: string;
  readonly countryName?: string;
}

/** Who offers the policy, from vCard terms. */
export interface TdmAssigner {
  readonly name?: string;
  readonly nickname?: string;
  /** A `mailto:` URI. */
  readonly email?: string;
  readonly address?: TdmAddress;
  /** A `tel:` URI. */
  readonly telephone?: string;
  readonly url?: string;
}

/** One `tdm:mine` permission. */
export interface TdmPermission {
  readonly target?: string;
  readonly duties: readonly TdmDuty[];
  readonly purpose?: TdmPurpose;
}

/** A TDM Policy (an ODRL Offer). */
export interface TdmPolicy {
  readonly uid: string;
  readonly assigner?: TdmAssigner;
  readonly permissions: readonly TdmPermission[];
}

/** A parse outcome of a TDM policy. */
export type TdmPolicyParseResult =
  | { readonly ok: true; readonly value: TdmPolicy; readonly warnings: readonly InputIssue[] }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : [value]);

const MINE = new Set(['tdm:mine', 'http://www.w3.org/ns/tdmrep#mine']);
const DUTIES: { readonly [word: string]: TdmDuty } = {
  obtainConsent: 'obtainConsent',
  'odrl:obtainConsent': 'obtainConsent',
  'http://www.w3.org/ns/odrl/2/obtainConsent': 'obtainConsent',
  compensate: 'compensate',
  'odrl:compensate': 'compensate',
  'http://www.w3.org/ns/odrl/2/compensate': 'compensate',
};
const PURPOSES: { readonly [word: string]: TdmPurpose } = {
  'tdm:research': 'research',
  'http://www.w3.org/ns/tdmrep#research': 'research',
  'tdm:non-research': 'non-research',
  'http://www.w3.org/ns/tdmrep#non-research': 'non-research',
};

const VCARD_FIELDS = [
  ['name', 'vcard:fn'],
  ['nickname', 'vcard:nickname'],
  ['email', 'vcard:hasEmail'],
  ['telephone', 'vcard:hasTelephone'],
  ['url', 'vcard:hasURL'],
] as const;
const ADDRESS_FIELDS = [
  ['streetAddress', 'vcard:street-address'],
  ['postalCode', 'vcard:postal-code'],
  ['locality', 'vcard:locality'],
  ['countryName', 'vcard:country-name'],
] as const;

function readStrings<K extends string>(
  source: Record<string, unknown>,
  fields: readonly (readonly [K, string])[],
  path: string,
  issues: InputIssue[],
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, term] of fields) {
    const value = source[term];
    if (value === undefined) continue;
    if (typeof value === 'string') out[key] = value;
    else issues.push({ path: `${path}.${term}`, message: 'must be a string' });
  }
  return out;
}

function readPermission(value: unknown, path: string, issues: InputIssue[]): TdmPermission | undefined {
  if (!isRecord(value)) {
    issues.push({ path, message: 'a permission must be an object' });
    return undefined;
  }
  const action = value['action'];
  if (typeof action !== 'string' || !MINE.has(action)) {
    issues.push({ path: `${path}.action`, message: 'the action of a TDM permission must be tdm:mine' });
    return undefined;
  }
  const duties: TdmDuty[] = [];
  if (value['duty'] !== undefined) {
    asArray(value['duty']).forEach((duty, i) => {
      const word = isRecord(duty) ? duty['action'] : undefined;
      const known = typeof word === 'string' ? DUTIES[word] : undefined;
      if (known) duties.push(known);
      else issues.push({ path: `${path}.duty[${i}]`, message: 'a duty must be obtainConsent or compensate' });
    });
  }
  let purpose: TdmPurpose | undefined;
  if (value['constraint'] !== undefined) {
    asArray(value['constraint']).forEach((constraint, i) => {
      const at = `${path}.constraint[${i}]`;
      if (
        !isRecord(constraint) ||
        constraint['leftOperand'] !== 'purpose' ||
        constraint['operator'] !== 'eq' ||
        typeof constraint['rightOperand'] !== 'string' ||
        PURPOSES[constraint['rightOperand']] === undefined
      ) {
        issues.push({ path: at, message: 'only purpose eq tdm:research or tdm:non-research is understood' });
        return;
      }
      const next = PURPOSES[constraint['rightOperand']];
      if (purpose !== undefined && purpose !== next) issues.push({ path: at, message: 'conflicting purposes' });
      purpose = next;
    });
  }
  const target = value['target'];
  if (target !== undefined && typeof target !== 'string') {
    issues.push({ path: `${path}.target`, message: 'target must be a URI string' });
  }
  return {
    ...(typeof target === 'string' ? { target } : {}),
    duties,
    ...(purpose !== undefined ? { purpose } : {}),
  };
}

/**
 * Parses a machine-readable TDM Policy (`application/json` or `application/ld+json`). Refuses anything outside the
 * TDMRep profile: another `@type`, a missing `uid`, an action other than `tdm:mine`, duties other than
 * `obtainConsent`/`compensate`, constraints other than the purpose one, `prohibition` or `obligation`. A policy that
 * cannot be read means the agent cannot know the conditions (TDMRep §2): callers must not treat it as a permission.
 *
 * @example
 * ```ts
 * parseTdmPolicy(text) // { ok: true, value: { uid: '…', permissions: [{ duties: ['compensate'], purpose: 'non-research' }] }, warnings: [] }
 * ```
 */
export function parseTdmPolicy(text: string): TdmPolicyParseResult {
  if (typeof text !== 'string') return { ok: false, issues: [{ path: '', message: 'expected text' }] };
  if (exceedsUtf8Bytes(text)) {
    return { ok: false, issues: [{ path: '', message: `the policy is larger than ${MAX_SIGNAL_BYTES} bytes` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, issues: [{ path: '', message: 'the policy is not valid JSON' }] };
  }
  if (!isRecord(json)) return { ok: false, issues: [{ path: '', message: 'the policy must be a JSON object' }] };
  const issues: InputIssue[] = [];
  const warnings: InputIssue[] = [];
  const type = json['@type'] ?? json['type'];
  if (type !== 'Offer' && type !== 'odrl:Offer') issues.push({ path: '@type', message: 'the policy must be an Offer' });
  const context = asArray(json['@context']);
  for (const expected of TDM_POLICY_CONTEXT) {
    if (!context.includes(expected)) warnings.push({ path: '@context', message: `missing ${expected}` });
  }
  if (json['profile'] !== TDM_POLICY_PROFILE) {
    warnings.push({ path: 'profile', message: `profile should be ${TDM_POLICY_PROFILE}` });
  }
  const uid = json['uid'];
  if (typeof uid !== 'string' || uid === '') issues.push({ path: 'uid', message: 'uid must be a URI' });
  for (const key of ['prohibition', 'obligation']) {
    if (json[key] !== undefined) issues.push({ path: key, message: `a TDM policy must not have ${key}s` });
  }
  let assigner: TdmAssigner | undefined;
  const rawAssigner = json['assigner'];
  if (rawAssigner !== undefined) {
    if (!isRecord(rawAssigner)) issues.push({ path: 'assigner', message: 'assigner must be an object' });
    else {
      const fields = readStrings(rawAssigner, VCARD_FIELDS, 'assigner', issues);
      const rawAddress = rawAssigner['vcard:hasAddress'];
      let address: TdmAddress | undefined;
      if (rawAddress !== undefined) {
        if (isRecord(rawAddress))
          address = readStrings(rawAddress, ADDRESS_FIELDS, 'assigner.vcard:hasAddress', issues);
        else issues.push({ path: 'assigner.vcard:hasAddress', message: 'must be an object' });
      }
      assigner = { ...fields, ...(address !== undefined ? { address } : {}) };
    }
  }
  const permissions: TdmPermission[] = [];
  if (json['permission'] === undefined) issues.push({ path: 'permission', message: 'a TDM policy needs a permission' });
  else {
    asArray(json['permission']).forEach((p, i) => {
      const read = readPermission(p, `permission[${i}]`, issues);
      if (read) permissions.push(read);
    });
  }
  if (issues.length > 0 || typeof uid !== 'string') return { ok: false, issues };
  return { ok: true, value: { uid, ...(assigner !== undefined ? { assigner } : {}), permissions }, warnings };
}

function assignerJson(assigner: TdmAssigner): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, term] of VCARD_FIELDS) if (assigner[key] !== undefined) out[term] = assigner[key];
  if (assigner.address !== undefined) {
    const address: Record<string, string> = {};
    for (const [key, term] of ADDRESS_FIELDS) {
      const value = assigner.address[key];
      if (value !== undefined) address[term] = value;
    }
    out['vcard:hasAddress'] = address;
  }
  return out;
}

/**
 * Writes a TDM Policy as ODRL JSON-LD. `parseTdmPolicy(writeTdmPolicy(p))` gives back `p`.
 *
 * @example
 * ```ts
 * writeTdmPolicy({ uid: 'https://clearing.example/policies/42', permissions: [{ duties: ['compensate'] }] })
 * ```
 */
export function writeTdmPolicy(policy: TdmPolicy): string {
  const document = {
    '@context': [...TDM_POLICY_CONTEXT],
    '@type': 'Offer',
    profile: TDM_POLICY_PROFILE,
    uid: policy.uid,
    ...(policy.assigner !== undefined ? { assigner: assignerJson(policy.assigner) } : {}),
    permission: policy.permissions.map((p) => ({
      ...(p.target !== undefined ? { target: p.target } : {}),
      action: 'tdm:mine',
      ...(p.duties.length > 0 ? { duty: p.duties.map((action) => ({ action })) } : {}),
      ...(p.purpose !== undefined
        ? { constraint: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: `tdm:${p.purpose}` }] }
        : {}),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

const AI_USES: readonly Use[] = ['ai-train', 'ai-train-genai', 'ai-input', 'ai-index'];

/**
 * The TDM Policy heoga links from a reservation: one `tdm:mine` permission with a `compensate` duty when some AI use
 * is licensed for a price, else with `obtainConsent` when some AI use is allowed or offered, and no policy
 * (`undefined`) when every AI use is refused or without a preference.
 *
 * @example
 * ```ts
 * tdmPolicyFor(policy, { uid: 'https://clearing.example/policies/42', assigner: { name: 'Jane Roe' } })
 * ```
 */
export function tdmPolicyFor(
  policy: PolicyByUse,
  options: {
    readonly uid: string;
    readonly assigner?: TdmAssigner;
    readonly target?: string;
    readonly purpose?: TdmPurpose;
  },
): TdmPolicy | undefined {
  const stances = AI_USES.map((u) => policy[u]);
  const duty: TdmDuty | undefined = stances.includes('license')
    ? 'compensate'
    : stances.includes('allow')
      ? 'obtainConsent'
      : undefined;
  if (duty === undefined) return undefined;
  return {
    uid: options.uid,
    ...(options.assigner !== undefined ? { assigner: options.assigner } : {}),
    permissions: [
      {
        ...(options.target !== undefined ? { target: options.target } : {}),
        duties: [duty],
        ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
      },
    ],
  };
}
