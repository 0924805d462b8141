import type { InputIssue } from '../errors.js';
import { findMinorUnitDigits, type Money } from '../policy/currency.js';
import { USER_TYPES, type LicenceTerms } from '../policy/licence-terms.js';
import {
  PROTOCOL_WORDS,
  readProtocolWord,
  writeProtocolWords,
  effectivePolicy,
  type PolicyByUse,
} from '../policy/protocol-vocabulary.js';
import { usesPermittedBy, usesRestrictedBy, type Use } from '../policy/uses.js';
import { escapeXml, parseXml, type XmlElement } from './rsl-xml.js';
import {
  compilePathPattern,
  exceedsUtf8Bytes,
  matchPathPattern,
  MAX_SIGNAL_BYTES,
  type PathPattern,
} from './tdmrep-path-pattern.js';

/**
 * RSL 1.0, Really Simple Licensing (research/signals.md §4): `application/rsl+xml` documents that attach licences
 * (permitted and prohibited usages, users and places, payment, legal terms) to content URLs.
 */

/** The RSL namespace; the root of a standalone document is an unprefixed `<rsl>` in it. */
export const RSL_NAMESPACE = 'https://rslstandard.org/rsl';

/** RSL 1.0 usage tokens. */
export const RSL_USAGES = ['all', 'ai-all', 'ai-train', 'ai-input', 'ai-index', 'search'] as const;
/** RSL 0.9 usage tokens (AIPREF-02 style), read with a warning. */
export const RSL_LEGACY_USAGES = ['train-ai', 'train-genai', 'ai-use', 'ai-summarize'] as const;
/** RSL user tokens: the entity using the content. */
export const RSL_USERS = USER_TYPES;
/** RSL payment types. */
export const RSL_PAYMENT_TYPES = [
  'purchase',
  'subscription',
  'training',
  'crawl',
  'use',
  'contribution',
  'attribution',
  'free',
] as const;

/** An RSL payment type. */
export type RslPaymentType = (typeof RSL_PAYMENT_TYPES)[number];

/** The three kinds of `permits` and `prohibits`. */
export type RslTermType = 'usage' | 'user' | 'geo';

/** Tokens by type; an absent type puts no restriction, a present (even empty) one lists all that is meant. */
export interface RslTokens {
  readonly usage?: readonly string[];
  readonly user?: readonly string[];
  readonly geo?: readonly string[];
}

/** An amount as written: a decimal string and an ISO 4217 code. */
export interface RslAmount {
  readonly value: string;
  readonly currency: string;
}

/** A payment protocol the licensor accepts (`<accepts type="application/x402+json">`). */
export interface RslAccepts {
  readonly type: string;
  readonly body: string;
}

/** A licence's `<payment>`. */
export interface RslPayment {
  readonly type: RslPaymentType;
  readonly standard?: string;
  readonly custom?: string;
  readonly amount?: RslAmount;
  readonly accepts: readonly RslAccepts[];
}

/** A `<legal type="…">` element and its tokens. */
export interface RslLegal {
  readonly type: string;
  readonly values: readonly string[];
}

/** A `<reporting>` requirement: a client that cannot meet the profile must treat the use as unlicensed. */
export interface RslReporting {
  readonly type: string;
  readonly profile: string;
  readonly endpoint?: string;
}

/** One `<license>`. */
export interface RslLicense {
  readonly permits: RslTokens;
  readonly prohibits: RslTokens;
  /** Absent: free. */
  readonly payment?: RslPayment;
  readonly reporting: readonly RslReporting[];
  readonly legal: readonly RslLegal[];
}

/** A `<copyright>`. */
export interface RslCopyright {
  readonly type?: 'person' | 'organization';
  readonly holder?: string;
  readonly contactEmail?: string;
  readonly contactUrl?: string;
}

/** One `<content>`. */
export interface RslContent {
  /** A full URL or an RFC 9309 path pattern; `''` means "the scope of this association". */
  readonly url: string;
  /** A licence server: a licence token must be obtained from it, even for free use. */
  readonly server?: string;
  readonly encrypted: boolean;
  readonly lastmod?: string;
  readonly licenses: readonly RslLicense[];
  readonly alternates: readonly string[];
  readonly copyright?: RslCopyright;
  readonly terms?: string;
}

/** A parsed RSL document. */
export interface RslDocument {
  /** How many days the document may be cached before revalidation (default 30). */
  readonly maxAgeDays: number;
  readonly contents: readonly RslContent[];
}

/** The outcome of parsing an RSL document; warnings note non-conformant but readable parts. */
export type RslParseResult =
  | { readonly ok: true; readonly value: RslDocument; readonly warnings: readonly InputIssue[] }
  | { readonly ok: false; readonly issues: readonly InputIssue[] };

/** The most warnings one document gives. */
const MAX_RSL_WARNINGS = 1000;

const USAGE_SET: ReadonlySet<string> = new Set(RSL_USAGES);
const LEGACY_SET: ReadonlySet<string> = new Set(RSL_LEGACY_USAGES);
const USER_SET: ReadonlySet<string> = new Set(RSL_USERS);
const PAYMENT_SET: ReadonlySet<string> = new Set(RSL_PAYMENT_TYPES);
const GEO = /^(?:[A-Z]{2})$/;

class Reader {
  readonly warnings: InputIssue[] = [];

  constructor(readonly namespace: string) {}

  warn(element: XmlElement, path: string, message: string): void {
    // Bounded like the input: a hostile document cannot make the warnings outgrow it.
    if (this.warnings.length < MAX_RSL_WARNINGS)
      this.warnings.push({ path: `${path} (line ${element.line})`, message });
  }

  /** RSL children in order; extension elements (another namespace) are ignored, unknown RSL ones warned about. */
  children(element: XmlElement, path: string, known: readonly string[]): XmlElement[] {
    return element.children.filter((child) => {
      if (child.namespace !== this.namespace) return false;
      if (known.includes(child.name)) return true;
      this.warn(child, `${path}.${child.name}`, `unknown RSL element <${child.name}>: the document is not conformant`);
      return false;
    });
  }

  tokens(element: XmlElement, type: RslTermType, path: string): string[] {
    const text = element.text.trim();
    if (text.includes(',')) this.warn(element, path, 'tokens are space-separated in RSL 1.0 (comma lists are 0.9)');
    const out: string[] = [];
    for (const raw of text.split(/[\s,]+/)) {
      if (raw === '') continue;
      // Extension tokens are QNames and are ignored unless understood (RSL 1.0, errata 2026-01-16).
      if (raw.includes(':')) continue;
      let token = raw;
      if (type === 'usage') {
        if (LEGACY_SET.has(token)) this.warn(element, path, `${token} is an RSL 0.9 usage token`);
        else if (!USAGE_SET.has(token)) this.warn(element, path, `unknown usage token ${token}`);
      } else if (type === 'user') {
        if (!USER_SET.has(token)) this.warn(element, path, `unknown user token ${token}`);
      } else {
        if (token !== token.toUpperCase()) {
          this.warn(element, path, `geo codes are upper case: ${token}`);
          token = token.toUpperCase();
        }
        if (!GEO.test(token)) this.warn(element, path, `unknown geo code ${token}`);
      }
      if (!out.includes(token)) out.push(token);
    }
    return out;
  }
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

function readTerms(reader: Reader, license: XmlElement, kind: 'permits' | 'prohibits', path: string): RslTokens {
  const out: { usage?: string[]; user?: string[]; geo?: string[] } = {};
  for (const element of license.children) {
    if (element.namespace !== reader.namespace || element.name !== kind) continue;
    const type = element.attributes.get('type');
    const at = `${path}.${kind}`;
    if (type !== 'usage' && type !== 'user' && type !== 'geo') {
      reader.warn(element, at, `<${kind}> needs type="usage", "user" or "geo"; ignored`);
      continue;
    }
    const tokens = reader.tokens(element, type, `${at}[${type}]`);
    const existing = out[type];
    if (existing) {
      reader.warn(element, at, `more than one <${kind} type="${type}">; their tokens are merged`);
      for (const t of tokens) if (!existing.includes(t)) existing.push(t);
    } else out[type] = tokens;
  }
  return out;
}

function childText(reader: Reader, parent: XmlElement, name: string): string | undefined {
  const found = parent.children.find((c) => c.namespace === reader.namespace && c.name === name);
  return found ? found.text.trim() : undefined;
}

function readPayment(reader: Reader, element: XmlElement, path: string): RslPayment {
  const raw = element.attributes.get('type');
  let type: RslPaymentType;
  if (raw !== undefined && PAYMENT_SET.has(raw)) type = raw as RslPaymentType;
  else if (raw === 'inference') {
    reader.warn(element, path, 'payment type inference is RSL 0.9; read as use');
    type = 'use';
  } else {
    reader.warn(element, path, `unknown or missing payment type ${JSON.stringify(raw ?? null)}; read as purchase`);
    type = 'purchase';
  }
  reader.children(element, path, ['standard', 'custom', 'amount', 'accepts']);
  let amount: RslAmount | undefined;
  const amountElement = element.children.find((c) => c.namespace === reader.namespace && c.name === 'amount');
  if (amountElement) {
    const value = amountElement.text.trim();
    const currency = amountElement.attributes.get('currency') ?? '';
    if (!/^\d{1,15}(?:\.\d{1,6})?$/.test(value) || !/^[A-Z]{3}$/.test(currency)) {
      reader.warn(amountElement, `${path}.amount`, 'amount must be a decimal with an ISO 4217 currency; ignored');
    } else amount = { value, currency };
  }
  const accepts = element.children
    .filter((c) => c.namespace === reader.namespace && c.name === 'accepts')
    .map((c) => ({ type: c.attributes.get('type') ?? '', body: c.text.trim() }));
  return {
    type,
    ...optional('standard', childText(reader, element, 'standard')),
    ...optional('custom', childText(reader, element, 'custom')),
    ...optional('amount', amount),
    accepts,
  };
}

function readLicense(reader: Reader, element: XmlElement, path: string): RslLicense {
  const children = reader.children(element, path, ['permits', 'prohibits', 'payment', 'reporting', 'legal']);
  const payments = children.filter((c) => c.name === 'payment');
  if (payments.length > 1) reader.warn(element, path, 'more than one <payment>; only the first is read');
  const reporting = children
    .filter((c) => c.name === 'reporting')
    .map((c) => ({
      type: c.attributes.get('type') ?? '',
      profile: c.attributes.get('profile') ?? '',
      ...optional('endpoint', c.attributes.get('endpoint')),
    }));
  const legal = children
    .filter((c) => c.name === 'legal')
    .map((c) => ({ type: c.attributes.get('type') ?? '', values: c.text.trim().split(/\s+/).filter(Boolean) }));
  const first = payments[0];
  return {
    permits: readTerms(reader, element, 'permits', path),
    prohibits: readTerms(reader, element, 'prohibits', path),
    ...optional('payment', first ? readPayment(reader, first, `${path}.payment`) : undefined),
    reporting,
    legal,
  };
}

function readContent(reader: Reader, element: XmlElement, path: string): RslContent | undefined {
  const url = element.attributes.get('url');
  if (url === undefined) {
    reader.warn(element, path, '<content> needs a url; skipped');
    return undefined;
  }
  const children = reader.children(element, path, ['license', 'alternate', 'schema', 'copyright', 'terms']);
  const encryptedRaw = element.attributes.get('encrypted');
  if (encryptedRaw !== undefined && encryptedRaw !== 'true' && encryptedRaw !== 'false') {
    reader.warn(element, path, 'encrypted must be true or false (lower case)');
  }
  const lastmod = element.attributes.get('lastmod');
  if (lastmod !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(lastmod)) {
    reader.warn(element, path, 'lastmod should be an RFC 3339 time');
  }
  const copyrightElement = children.find((c) => c.name === 'copyright');
  let copyright: RslCopyright | undefined;
  if (copyrightElement) {
    const rawType = copyrightElement.attributes.get('type');
    const type = rawType === 'person' || rawType === 'organization' ? rawType : undefined;
    if (rawType !== undefined && type === undefined) {
      reader.warn(copyrightElement, `${path}.copyright`, 'copyright type must be person or organization');
    }
    const holder = copyrightElement.text.trim();
    copyright = {
      ...(type !== undefined ? { type } : {}),
      ...optional('holder', holder === '' ? undefined : holder),
      ...optional('contactEmail', copyrightElement.attributes.get('contactEmail')),
      ...optional('contactUrl', copyrightElement.attributes.get('contactUrl')),
    };
  }
  if (!children.some((c) => c.name === 'license')) {
    reader.warn(element, path, 'a <content> should have a <license>; none applies to this content');
  }
  const terms = children.find((c) => c.name === 'terms')?.text.trim();
  return {
    url,
    ...optional('server', element.attributes.get('server')),
    encrypted: encryptedRaw === 'true',
    ...optional('lastmod', lastmod),
    licenses: children
      .filter((c) => c.name === 'license')
      .map((c, i) => readLicense(reader, c, `${path}.license[${i}]`)),
    alternates: children
      .filter((c) => c.name === 'alternate')
      .map((c) => c.text.trim() || (c.attributes.get('url') ?? c.attributes.get('href') ?? ''))
      .filter(Boolean),
    ...optional('copyright', copyright),
    ...optional('terms', terms === '' ? undefined : terms),
  };
}

/**
 * Parses an RSL 1.0 document. Never throws: malformed XML, a DTD (refused: XXE-safe), an unknown entity, a root other
 * than `<rsl>` or no `<content>` give issues. Tolerant where the digest says readers should be: comma lists and RSL 0.9
 * tokens, a prefixed `<rsl:rsl>` root, unknown RSL elements are read with warnings; extension elements and QName
 * tokens of other namespaces are ignored.
 *
 * @example
 * ```ts
 * const parsed = parseRsl('<rsl xmlns="https://rslstandard.org/rsl"><content url="/*"><license/></content></rsl>');
 * if (parsed.ok) parsed.value.contents[0]?.url // '/*'
 * ```
 */
export function parseRsl(xml: string): RslParseResult {
  if (typeof xml !== 'string') return { ok: false, issues: [{ path: '', message: 'expected text' }] };
  if (exceedsUtf8Bytes(xml)) {
    return { ok: false, issues: [{ path: '', message: `the RSL document is larger than ${MAX_SIGNAL_BYTES} bytes` }] };
  }
  const tree = parseXml(xml);
  if (!tree.ok) return tree;
  const root = tree.root;
  if (root.name !== 'rsl' || (root.namespace !== RSL_NAMESPACE && root.namespace !== '')) {
    return { ok: false, issues: [{ path: 'rsl', message: `the root must be <rsl> in ${RSL_NAMESPACE}` }] };
  }
  const reader = new Reader(root.namespace);
  if (root.namespace === '') reader.warn(root, 'rsl', `the root should be in the namespace ${RSL_NAMESPACE}`);
  if (root.prefix !== '') reader.warn(root, 'rsl', 'a standalone RSL document has an unprefixed root');
  let maxAgeDays = 30;
  const maxAge = root.attributes.get('max-age');
  if (maxAge !== undefined) {
    if (/^\d{1,6}$/.test(maxAge.trim())) maxAgeDays = Number(maxAge.trim());
    else reader.warn(root, 'rsl', 'max-age must be a whole number of days; 30 is used');
  }
  const contents = reader
    .children(root, 'rsl', ['content'])
    .map((c, i) => readContent(reader, c, `rsl.content[${i}]`))
    .filter((c): c is RslContent => c !== undefined);
  if (contents.length === 0) {
    return { ok: false, issues: [...reader.warnings, { path: 'rsl', message: 'an RSL document needs a <content>' }] };
  }
  return { ok: true, value: { maxAgeDays, contents }, warnings: reader.warnings };
}

const EU = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU'.split(' '));

/** What heoga asks of an RSL document: may this use be made of this URL, by this kind of user, in this place? */
export interface RslRequest {
  /**
   * A full URL or a path (`/portfolio/a.jpg`). A content whose url is a full URL matches only its own origin; given a
   * bare path, the caller vouches that the document was found for the path's origin.
   */
  readonly url: string;
  readonly use: Use;
  /** An RSL user token (`commercial`…). Absent: licences restricted by user type do not apply. */
  readonly user?: string;
  /** ISO 3166-1 alpha-2, upper case. Absent: licences restricted by place do not apply. */
  readonly geo?: string;
  /** Reporting profiles the client can meet; a licence that requires another one does not apply. */
  readonly reportingProfiles?: readonly string[];
}

/** What RSL says about a use. */
export type RslOutcome = 'allow' | 'deny' | 'license' | 'unknown';

/** Why one licence does or does not grant the use. */
export interface RslLicenseEvidence {
  readonly contentIndex: number;
  readonly licenseIndex: number;
  readonly grants: boolean;
  readonly reason: string;
}

/** The answer for one request, with the contents and licences that gave it. */
export interface RslEvaluation {
  readonly outcome: RslOutcome;
  /** The payments of the licences that grant the use (for `license`). */
  readonly payments: readonly RslPayment[];
  /** A licence server from which a token must be obtained, even for free use. */
  readonly server?: string;
  /** The contents that matched at the narrowest scope. */
  readonly contentIndexes: readonly number[];
  readonly evidence: readonly RslLicenseEvidence[];
}

function splitUrl(url: string): { origin?: string; path: string } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(url);
  if (!match) return { path: url };
  const path = match[2] ?? '';
  return { origin: (match[1] ?? '').toLowerCase(), path: path === '' ? '/' : path };
}

function contentMatch(content: RslContent, request: { origin?: string; path: string }): PathPattern | undefined {
  if (content.url === '') return compilePathPattern('');
  const target = splitUrl(content.url);
  if (target.origin !== undefined && request.origin !== undefined && target.origin !== request.origin) return undefined;
  const pattern = compilePathPattern(target.path);
  return matchPathPattern(pattern, request.path.replace(/#.*$/, '')) ? pattern : undefined;
}

const usesOf = (tokens: readonly string[], kind: 'permits' | 'prohibits'): Set<Use> => {
  const out = new Set<Use>();
  for (const token of tokens) {
    const reading = readProtocolWord('rsl', token, kind);
    if (!reading.known) continue;
    if (kind === 'permits' && reading.stance === 'allow')
      for (const s of reading.uses) usesPermittedBy(s).forEach((u) => out.add(u));
    if (kind === 'prohibits' && reading.stance === 'deny')
      for (const s of reading.uses) usesRestrictedBy(s).forEach((u) => out.add(u));
  }
  return out;
};

const inPlaceList = (list: readonly string[], geo: string): boolean =>
  list.includes(geo) || (list.includes('EU') && EU.has(geo));

function whyNot(license: RslLicense, request: RslRequest): string | undefined {
  const { permits, prohibits } = license;
  if (prohibits.usage && usesOf(prohibits.usage, 'prohibits').has(request.use)) return 'the usage is prohibited';
  if (permits.usage && !usesOf(permits.usage, 'permits').has(request.use))
    return 'the usage is not among those permitted';
  if (prohibits.user && prohibits.user.length > 0) {
    if (request.user === undefined) return 'some user types are prohibited and the user type is not known';
    if (prohibits.user.includes(request.user)) return 'the user type is prohibited';
  }
  if (permits.user) {
    if (request.user === undefined) return 'only some user types are permitted and the user type is not known';
    if (!permits.user.includes(request.user)) return 'the user type is not among those permitted';
  }
  if (prohibits.geo && prohibits.geo.length > 0) {
    if (request.geo === undefined) return 'some places are prohibited and the place is not known';
    if (inPlaceList(prohibits.geo, request.geo)) return 'the place is prohibited';
  }
  if (permits.geo) {
    if (request.geo === undefined) return 'only some places are permitted and the place is not known';
    if (!inPlaceList(permits.geo, request.geo)) return 'the place is not among those permitted';
  }
  const unmet = license.reporting.find((r) => !(request.reportingProfiles ?? []).includes(r.profile));
  if (unmet) return `the reporting profile ${unmet.profile} cannot be met`;
  return undefined;
}

/**
 * Evaluates an RSL document for one use of one URL (RSL 1.0 evaluation): every `<content>` whose url matches (RFC
 * 9309 patterns) is collected and the narrowest scope wins; a licence grants the use when it is permitted and not
 * prohibited, and a `permits` of a type allows only the values listed. A free granting licence gives `allow`, unless
 * the content names a licence `server` (a token is needed even for free use) or a paid licence is the only one that
 * grants: then `license`, with the payments. Licences that grant nothing give `deny`; no matching content or no
 * licence gives `unknown`. Rights are never expanded: a restriction on user type or place that the request cannot
 * answer means the licence does not apply.
 *
 * @example
 * ```ts
 * evaluateRsl(doc, { url: '/portfolio/a.jpg', use: 'ai-train', user: 'commercial' }).outcome // 'license'
 * ```
 */
export function evaluateRsl(document: RslDocument, request: RslRequest): RslEvaluation {
  const target = splitUrl(request.url);
  const matched = document.contents
    .map((content, index) => ({ content, index, pattern: contentMatch(content, target) }))
    .filter((m): m is { content: RslContent; index: number; pattern: PathPattern } => m.pattern !== undefined);
  const narrowest = Math.max(-1, ...matched.map((m) => m.pattern.specificity));
  const chosen = matched.filter((m) => m.pattern.specificity === narrowest);
  const evidence: RslLicenseEvidence[] = [];
  const granting: { payment?: RslPayment; server?: string }[] = [];
  for (const { content, index } of chosen) {
    content.licenses.forEach((license, licenseIndex) => {
      const reason = whyNot(license, request);
      evidence.push({
        contentIndex: index,
        licenseIndex,
        grants: reason === undefined,
        reason: reason ?? 'grants the use',
      });
      if (reason === undefined) {
        granting.push({ ...optional('payment', license.payment), ...optional('server', content.server) });
      }
    });
  }
  const contentIndexes = chosen.map((m) => m.index);
  const isFree = (p?: RslPayment): boolean => p === undefined || p.type === 'free';
  const freeOpen = granting.find((g) => isFree(g.payment) && g.server === undefined);
  if (freeOpen) return { outcome: 'allow', payments: [], contentIndexes, evidence };
  if (granting.length > 0) {
    const server = granting.find((g) => g.server !== undefined)?.server;
    return {
      outcome: 'license',
      payments: granting.map((g) => g.payment ?? { type: 'free', accepts: [] }),
      ...optional('server', server),
      contentIndexes,
      evidence,
    };
  }
  return { outcome: evidence.length > 0 ? 'deny' : 'unknown', payments: [], contentIndexes, evidence };
}

/**
 * Converts an RSL amount to money in integer minor units, or `undefined` when the currency is unknown or the amount
 * has more decimals than the currency's minor unit.
 *
 * @example
 * ```ts
 * rslAmountToMoney({ value: '250.00', currency: 'EUR' }) // { amountMinor: 25000, currency: 'EUR' }
 * ```
 */
export function rslAmountToMoney(amount: RslAmount): Money | undefined {
  const digits = findMinorUnitDigits(amount.currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.value);
  if (digits === undefined || !match) return undefined;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) return undefined;
  const amountMinor = Number(`${match[1] ?? '0'}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(amountMinor) ? { amountMinor, currency: amount.currency } : undefined;
}

/**
 * Writes money as an RSL amount: the decimal with as many fraction digits as the currency's minor unit.
 *
 * @example
 * ```ts
 * moneyToRslAmount({ amountMinor: 25000, currency: 'EUR' }) // { value: '250.00', currency: 'EUR' }
 * moneyToRslAmount({ amountMinor: 5000, currency: 'KRW' })  // { value: '5000', currency: 'KRW' }
 * ```
 */
export function moneyToRslAmount(money: Money): RslAmount {
  const digits = findMinorUnitDigits(money.currency) ?? 2;
  const text = Math.abs(Math.trunc(money.amountMinor))
    .toString()
    .padStart(digits + 1, '0');
  const value = digits === 0 ? text : `${text.slice(0, text.length - digits)}.${text.slice(text.length - digits)}`;
  return { value, currency: money.currency };
}

const attr = (name: string, value: string | undefined): string =>
  value === undefined ? '' : ` ${name}="${escapeXml(value)}"`;

function writeTokens(kind: 'permits' | 'prohibits', tokens: RslTokens, indent: string): string[] {
  return (['usage', 'user', 'geo'] as const).flatMap((type) => {
    const list = tokens[type];
    return list === undefined ? [] : [`${indent}<${kind} type="${type}">${escapeXml(list.join(' '))}</${kind}>`];
  });
}

/**
 * Serialises an RSL document (`application/rsl+xml`). `parseRsl(serializeRsl(doc))` gives back `doc` for any document
 * whose strings are trimmed and whose tokens are single words.
 */
export function serializeRsl(document: RslDocument): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rsl xmlns="${RSL_NAMESPACE}" max-age="${document.maxAgeDays}">`,
  ];
  for (const content of document.contents) {
    lines.push(
      `  <content${attr('url', content.url)}${attr('server', content.server)}${content.encrypted ? ' encrypted="true"' : ''}${attr('lastmod', content.lastmod)}>`,
    );
    for (const license of content.licenses) {
      lines.push('    <license>');
      lines.push(...writeTokens('permits', license.permits, '      '));
      lines.push(...writeTokens('prohibits', license.prohibits, '      '));
      const payment = license.payment;
      if (payment) {
        lines.push(`      <payment type="${payment.type}">`);
        if (payment.standard !== undefined) lines.push(`        <standard>${escapeXml(payment.standard)}</standard>`);
        if (payment.custom !== undefined) lines.push(`        <custom>${escapeXml(payment.custom)}</custom>`);
        if (payment.amount !== undefined) {
          lines.push(
            `        <amount${attr('currency', payment.amount.currency)}>${escapeXml(payment.amount.value)}</amount>`,
          );
        }
        for (const a of payment.accepts)
          lines.push(`        <accepts${attr('type', a.type)}>${escapeXml(a.body)}</accepts>`);
        lines.push('      </payment>');
      }
      for (const r of license.reporting) {
        lines.push(
          `      <reporting${attr('type', r.type)}${attr('profile', r.profile)}${attr('endpoint', r.endpoint)}/>`,
        );
      }
      for (const l of license.legal)
        lines.push(`      <legal${attr('type', l.type)}>${escapeXml(l.values.join(' '))}</legal>`);
      lines.push('    </license>');
    }
    for (const a of content.alternates) lines.push(`    <alternate>${escapeXml(a)}</alternate>`);
    const c = content.copyright;
    if (c) {
      lines.push(
        `    <copyright${attr('type', c.type)}${attr('contactEmail', c.contactEmail)}${attr('contactUrl', c.contactUrl)}>${escapeXml(c.holder ?? '')}</copyright>`,
      );
    }
    if (content.terms !== undefined) lines.push(`    <terms>${escapeXml(content.terms)}</terms>`);
    lines.push('  </content>');
  }
  lines.push('</rsl>', '');
  return lines.join('\n');
}

/** What `rslDocumentForPolicy` needs besides the policy. */
export interface RslWriteOptions {
  /** The content's url: a full URL or an RFC 9309 path pattern. Default `/`. */
  readonly url?: string;
  /** The terms of each use whose stance is `license`; a priced use without terms is written as refused. */
  readonly terms?: { readonly [U in Use]?: LicenceTerms };
  /** Where a licensee buys a licence (`<custom>`). */
  readonly licenceUrl?: string;
  readonly server?: string;
  readonly copyright?: RslCopyright;
  /** The `<terms>` URL. */
  readonly termsUrl?: string;
  readonly maxAgeDays?: number;
}

/** RSL payment type for a priced word: per training use, per AI output, or per crawl. */
const PAYMENT_FOR_WORD: { readonly [word: string]: RslPaymentType } = {
  'ai-train': 'training',
  'ai-input': 'use',
  'ai-index': 'crawl',
  search: 'crawl',
};

/**
 * The RSL document heoga publishes for a policy: one free licence that permits the allowed usages and prohibits the
 * refused and priced ones (or prohibits `all` when nothing is free), and one paid licence per distinct set of terms (users and places from the terms' scope,
 * the price as `<amount>`). Writing is conservative, as `writeProtocolWords` is: a usage token that stands for several
 * uses is permitted only when all of them are, and sold only when all of them carry the same terms. Uses without a
 * preference are not permitted. Attribution and validity have no RSL element here and are left out.
 *
 * @example
 * ```ts
 * serializeRsl(rslDocumentForPolicy(policy, { url: '/portfolio/*', terms: { 'ai-train': t, 'ai-train-genai': t } }))
 * ```
 */
export function rslDocumentForPolicy(stated: PolicyByUse, options: RslWriteOptions = {}): RslDocument {
  // Prices and refusals reach the uses they contain before anything is sold or refused.
  const policy = effectivePolicy(stated);
  const words = writeProtocolWords('rsl', policy);
  const permitted = words.filter((w) => w.value === 'permit').map((w) => w.word);
  const refused = words.filter((w) => w.value === 'refuse').map((w) => w.word);
  const licenses: RslLicense[] = [];
  if (permitted.length > 0) {
    licenses.push({
      permits: { usage: permitted },
      prohibits: refused.length > 0 ? { usage: refused } : {},
      reporting: [],
      legal: [],
    });
  } else if (refused.length > 0) {
    // Nothing is free: a licence without `permits` would grant every usage it does not prohibit (future ones too),
    // so the refusal is written as a prohibition of all usages; paid licences below still grant what they sell.
    licenses.push({ permits: {}, prohibits: { usage: ['all'] }, reporting: [], legal: [] });
  }
  const groups = new Map<string, { terms: LicenceTerms; type: RslPaymentType; words: string[] }>();
  for (const entry of PROTOCOL_WORDS) {
    if (entry.protocol !== 'rsl' || entry.legacy || !entry.writes) continue;
    const allTerms = entry.writes.map((u) => (policy[u] === 'license' ? options.terms?.[u] : undefined));
    const first = allTerms[0];
    if (first === undefined || allTerms.some((t) => t === undefined || JSON.stringify(t) !== JSON.stringify(first)))
      continue;
    const type = PAYMENT_FOR_WORD[entry.word] ?? 'purchase';
    const key = `${type} ${JSON.stringify(first)}`;
    const group = groups.get(key) ?? { terms: first, type, words: [] };
    group.words.push(entry.word);
    groups.set(key, group);
  }
  for (const { terms, type, words: sold } of groups.values()) {
    const users = terms.scope?.users;
    const territories = terms.scope?.territories;
    licenses.push({
      permits: {
        usage: sold,
        ...optional('user', users && users.length > 0 ? [...users] : undefined),
        ...optional('geo', territories && territories.length > 0 ? [...territories] : undefined),
      },
      prohibits: {},
      payment: {
        type,
        ...optional('custom', options.licenceUrl),
        amount: moneyToRslAmount(terms.price),
        accepts: [],
      },
      reporting: [],
      legal: [],
    });
  }
  return {
    maxAgeDays: options.maxAgeDays ?? 30,
    contents: [
      {
        url: options.url ?? '/',
        ...optional('server', options.server),
        encrypted: false,
        licenses,
        alternates: [],
        ...optional('copyright', options.copyright),
        ...optional('terms', options.termsUrl),
      },
    ],
  };
}

/**
 * Writes the RSL document for a policy: `serializeRsl(rslDocumentForPolicy(policy, options))`.
 *
 * @example
 * ```ts
 * writeRsl({ 'ai-train': 'deny', 'ai-train-genai': 'deny', 'ai-input': 'deny', 'ai-index': 'deny', search: 'allow' })
 * ```
 */
export function writeRsl(policy: PolicyByUse, options: RslWriteOptions = {}): string {
  return serializeRsl(rslDocumentForPolicy(policy, options));
}
