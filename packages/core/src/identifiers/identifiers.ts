import { type InputIssue, type ParseResult } from '../errors.js';
import {
  ean13CheckDigit,
  isbn10CheckCharacter,
  issnCheckCharacter,
  iswcCheckDigit,
  mod37x36CheckCharacter,
} from './check-digits.js';
import { normaliseHttpUrl } from './normalise-url.js';

/**
 * Identifiers of works, parsed from untrusted text and normalised so that equal works compare equal by `value`.
 *
 * What each scheme checks, and where the rule comes from:
 *
 * - `isbn`: ISBN-10 (MOD 11, `X`) or ISBN-13 (EAN-13 MOD 10, prefix 978 or 979), ISO 2108. Hyphens and spaces
 *   anywhere between digits (their correct places need the ISBN range table, which core does not carry).
 * - `issn`: 7 digits and a MOD 11 check character, ISO 3297.
 * - `isrc`: `CC-XXX-YY-NNNNN`, ISO 3901. No check character exists; the country code is not checked against a list.
 * - `iswc`: `T-DDD.DDD.DDD-C`, ISO 15707, with its weighted MOD 10 check digit.
 * - `isan`: 16 hex digits and a check character, optionally 8 version hex digits and a second check character,
 *   ISO 15706; both checks are ISO/IEC 7064 MOD 37,36 (the second over root, episode and version).
 * - `uci`: Korea's Universal Content Identifier, `prefix-instance[:qualifier]` as in the ABNF of RFC 4179
 *   (draft-sangug-uci-urn). No check character exists.
 * - `kcc`: a Korea Copyright Commission (한국저작권위원회) registration number, `C-2020-026202`: a category
 *   letter, the year and a six-digit serial. No public specification was found; the shape is that of published
 *   certificates. No check character is known.
 * - `url`, `url-prefix`: absolute http(s) URLs normalised by the WHATWG URL parser (see `normaliseHttpUrl`).
 */

/** Every identifier scheme heoga understands. */
export const IDENTIFIER_SCHEMES = ['isbn', 'issn', 'isrc', 'iswc', 'isan', 'uci', 'kcc', 'url', 'url-prefix'] as const;

/** One of `IDENTIFIER_SCHEMES`. */
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

/** Limits on untrusted identifier text: longer input is refused before it is read. */
export const IDENTIFIER_LIMITS = {
  maxText: 2_048,
} as const;

/** A parsed, normalised identifier. Two identifiers name the same thing when `scheme` and `value` are equal. */
export interface Identifier {
  readonly scheme: IdentifierScheme;
  /** The canonical form: `9780306406157`, `03178471`, `USS1Z9900001`, `T0345246801`, `https://example.com/`. */
  readonly value: string;
  /** The form people read, without the scheme's label: `0317-8471`, `US-S1Z-99-00001`, `T-034.524.680-1`. */
  readonly display: string;
  /** ISBN only: the ISBN-10 as given, when the input was an ISBN-10 (`value` is then its ISBN-13). */
  readonly isbn10?: string;
}

/**
 * True when `value` is one of `IDENTIFIER_SCHEMES`.
 *
 * @example
 * ```ts
 * isIdentifierScheme('isbn') // true
 * isIdentifierScheme('doi')  // false
 * ```
 */
export function isIdentifierScheme(value: unknown): value is IdentifierScheme {
  return typeof value === 'string' && (IDENTIFIER_SCHEMES as readonly string[]).includes(value);
}

type Parsed = ParseResult<Identifier>;

function fail(message: string): { readonly ok: false; readonly issues: readonly InputIssue[] } {
  return { ok: false, issues: [{ path: '(root)', message }] };
}

function found(scheme: IdentifierScheme, value: string, display: string): Parsed {
  return { ok: true, value: { scheme, value, display } };
}

function wrongCheck(what: string, expected: string, given: string): Parsed {
  return fail(`${what} check character is ${expected}, not ${given}`);
}

// ISBN: "ISBN", "ISBN-13:", "ISBN 10 " or "urn:isbn:". The -10/-13 must be followed by a space or colon, so that
// "ISBN 1034567890" keeps its leading "10".
const ISBN_LABEL = /^(?:urn:isbn:|isbn(?:[-\s]?1[03](?=[\s:]))?\s*:?\s*)/i;
const ISBN10_TEXT = /^\d(?:[\s-]?\d){8}[\s-]?[\dX]$/i;
const ISBN13_TEXT = /^\d(?:[\s-]?\d){12}$/;

function parseIsbn(text: string): Parsed {
  const rest = text.replace(ISBN_LABEL, '');
  if (ISBN10_TEXT.test(rest)) {
    const isbn10 = rest.replace(/[\s-]/g, '').toUpperCase();
    const expected = isbn10CheckCharacter(isbn10.slice(0, 9));
    if (expected !== isbn10.charAt(9)) return wrongCheck('ISBN-10', expected, isbn10.charAt(9));
    const twelve = `978${isbn10.slice(0, 9)}`;
    return { ok: true, value: { scheme: 'isbn', value: twelve + ean13CheckDigit(twelve), display: isbn10, isbn10 } };
  }
  if (ISBN13_TEXT.test(rest)) {
    const isbn13 = rest.replace(/[\s-]/g, '');
    if (!isbn13.startsWith('978') && !isbn13.startsWith('979')) return fail('an ISBN-13 starts with 978 or 979');
    const expected = ean13CheckDigit(isbn13.slice(0, 12));
    if (expected !== isbn13.charAt(12)) return wrongCheck('ISBN-13', expected, isbn13.charAt(12));
    return found('isbn', isbn13, isbn13);
  }
  return fail('expected an ISBN-10 (9 digits and a digit or X) or an ISBN-13 (13 digits), hyphens or spaces allowed');
}

const ISSN_LABEL = /^(?:urn:issn:|issn\s*:?\s*)/i;
const ISSN_TEXT = /^(\d{4})[\s-]?(\d{3}[\dX])$/i;

function parseIssn(text: string): Parsed {
  const match = ISSN_TEXT.exec(text.replace(ISSN_LABEL, ''));
  if (!match) return fail('expected an ISSN: NNNN-NNNC, where C is a digit or X');
  const issn = `${match[1]}${match[2]}`.toUpperCase();
  const expected = issnCheckCharacter(issn.slice(0, 7));
  if (expected !== issn.charAt(7)) return wrongCheck('ISSN', expected, issn.charAt(7));
  return found('issn', issn, `${issn.slice(0, 4)}-${issn.slice(4)}`);
}

// "ISRC" must be followed by a colon or a space: Iceland's ISRCs start with "IS", and "ISRC…" could be one.
const ISRC_LABEL = /^isrc(?:\s*:\s*|\s+)/i;
const ISRC_TEXT = /^([A-Z]{2})[\s-]?([A-Z\d]{3})[\s-]?(\d{2})[\s-]?(\d{5})$/i;

function parseIsrc(text: string): Parsed {
  const match = ISRC_TEXT.exec(text.replace(ISRC_LABEL, ''));
  if (!match) return fail('expected an ISRC: CC-XXX-YY-NNNNN (country, registrant, year, designation)');
  const parts = match.slice(1, 5).map((part) => part.toUpperCase());
  return found('isrc', parts.join(''), parts.join('-'));
}

const ISWC_LABEL = /^(?:urn:iswc:|iswc\s*:?\s*)/i;
const ISWC_TEXT = /^T[\s-]?(\d{3})\.?(\d{3})\.?(\d{3})[\s-]?(\d)$/i;

function parseIswc(text: string): Parsed {
  const match = ISWC_TEXT.exec(text.replace(ISWC_LABEL, ''));
  if (!match) return fail('expected an ISWC: T-DDD.DDD.DDD-C');
  const digits = `${match[1]}${match[2]}${match[3]}`;
  const expected = iswcCheckDigit(digits);
  if (expected !== match[4]) return wrongCheck('ISWC', expected, match[4] ?? '');
  return found('iswc', `T${digits}${expected}`, `T-${match[1]}.${match[2]}.${match[3]}-${expected}`);
}

const ISAN_LABEL = /^(?:urn:isan:|isan\s*:?\s*)/i;
const ISAN_TEXT =
  /^([\dA-F]{4})[\s-]?([\dA-F]{4})[\s-]?([\dA-F]{4})[\s-]?([\dA-F]{4})[\s-]?([\dA-Z])(?:[\s-]?([\dA-F]{4})[\s-]?([\dA-F]{4})[\s-]?([\dA-Z]))?$/i;

function parseIsan(text: string): Parsed {
  const match = ISAN_TEXT.exec(text.replace(ISAN_LABEL, ''));
  if (!match) {
    return fail('expected an ISAN: 16 hex digits and a check character, optionally 8 version hex digits and a second');
  }
  const [, a = '', b = '', c = '', d = '', check1 = '', v1, v2, check2] = match.map((part) => part?.toUpperCase());
  const groups = [a, b, c, d];
  const expected1 = mod37x36CheckCharacter(groups.join(''));
  if (expected1 !== check1) return wrongCheck('ISAN', expected1, check1);
  if (v1 === undefined || v2 === undefined || check2 === undefined) {
    const display = [...groups, check1].join('-');
    return found('isan', display, display);
  }
  const expected2 = mod37x36CheckCharacter(groups.join('') + v1 + v2);
  if (expected2 !== check2) return wrongCheck('ISAN version', expected2, check2);
  const display = [...groups, check1, v1, v2, check2].join('-');
  return found('isan', display, display);
}

// RFC 4179 §2: "urn:uci:" or a printed "UCI" label, e.g. "UCI(KEPA):"; the label needs a colon or a space after it
// because a UCI prefix may itself start with the letters "UCI".
const UCI_LABEL = /^(?:urn:uci:|uci(?:\s*\([^()]{0,40}\))?(?:\s*:\s*|\s+))/i;
// RFC 4179 (draft-sangug-uci-urn-02 §2) ABNF:
//   prefix    = 1*(alphaDigit) *1(":" 1*(alphaDigit)) *1("+" 1*(alphaDigit))
//   instance  = 1*(trans / "%" HEXDIG HEXDIG)        trans = alphaDigit / other
//   other     = "(" / ")" / "+" / "," / "-" / "." / "=" / "@" / ";" / "$" / "_" / "!" / "*" / "'"
//   qualifier = head 1*(alphaDigit) *2("-" head 1*(alphaDigit))      head = "C" / "R" / "F"
//   uci       = prefix "-" instance *1(":" qualifier)
const UCI_TEXT =
  /^([A-Za-z\d]+(?::[A-Za-z\d]+)?(?:\+[A-Za-z\d]+)?)-((?:[A-Za-z\d()+,\-.=@;$_!*']|%[\dA-Fa-f]{2})+)(?::([CRF][A-Za-z\d]+(?:-[CRF][A-Za-z\d]+){0,2}))?$/;

function parseUci(text: string): Parsed {
  const match = UCI_TEXT.exec(text.replace(UCI_LABEL, ''));
  if (!match) return fail('expected a UCI: prefix-instance[:qualifier], e.g. I700-2987098 (RFC 4179)');
  const instance = (match[2] ?? '').replace(/%[\dA-Fa-f]{2}/g, (escape) => escape.toUpperCase());
  const value = `${match[1]}-${instance}${match[3] === undefined ? '' : `:${match[3]}`}`;
  return found('uci', value, value);
}

// The registration system dates from 1957 (KCC, 2020 저작권 등록 심사 편람).
const KCC_FIRST_YEAR = 1957;
const KCC_LABEL = /^(?:(?:저작권\s*)?등록\s*번호\s*:?\s*)?(?:제\s*)?/;
const KCC_TEXT = /^([A-Z])-(\d{4})-(\d{6})(?:\s*호)?$/i;

function parseKcc(text: string): Parsed {
  const match = KCC_TEXT.exec(text.replace(KCC_LABEL, ''));
  if (!match) return fail('expected a Korea Copyright Commission registration number: C-YYYY-NNNNNN');
  if (Number(match[2]) < KCC_FIRST_YEAR) return fail(`a registration year cannot be before ${KCC_FIRST_YEAR}`);
  const value = `${(match[1] ?? '').toUpperCase()}-${match[2]}-${match[3]}`;
  return found('kcc', value, value);
}

function parseUrl(scheme: 'url' | 'url-prefix', text: string): Parsed {
  const normalised = normaliseHttpUrl(text, IDENTIFIER_LIMITS.maxText);
  return normalised.ok ? found(scheme, normalised.value, normalised.value) : fail(normalised.message);
}

/**
 * Parses an identifier of the given scheme from untrusted text, checking its format and, where the scheme has one,
 * its check character. Surrounding whitespace and the scheme's usual label (`ISBN`, `ISSN:`, `urn:isan:`, …) are
 * accepted. Never throws: anything malformed gives `{ ok: false, issues }`. Text longer than
 * `IDENTIFIER_LIMITS.maxText` is refused unread.
 *
 * @example
 * ```ts
 * parseIdentifier('isbn', 'ISBN 0-306-40615-2')
 * // { ok: true, value: { scheme: 'isbn', value: '9780306406157', display: '0306406152', isbn10: '0306406152' } }
 * parseIdentifier('issn', '0317-8472').ok // false: the check character is 1
 * ```
 */
export function parseIdentifier(scheme: IdentifierScheme, text: string): ParseResult<Identifier> {
  if (typeof text !== 'string') return fail('expected a string');
  if (text.length > IDENTIFIER_LIMITS.maxText) {
    return fail(`an identifier is at most ${IDENTIFIER_LIMITS.maxText} characters`);
  }
  if (!isIdentifierScheme(scheme))
    return fail(`unknown identifier scheme; expected one of ${IDENTIFIER_SCHEMES.join(', ')}`);
  const trimmed = text.trim();
  if (trimmed === '') return fail('the identifier is empty');
  switch (scheme) {
    case 'isbn':
      return parseIsbn(trimmed);
    case 'issn':
      return parseIssn(trimmed);
    case 'isrc':
      return parseIsrc(trimmed);
    case 'iswc':
      return parseIswc(trimmed);
    case 'isan':
      return parseIsan(trimmed);
    case 'uci':
      return parseUci(trimmed);
    case 'kcc':
      return parseKcc(trimmed);
    case 'url':
    case 'url-prefix':
      return parseUrl(scheme, trimmed);
    default: {
      const unreachable: never = scheme;
      return fail(`unknown identifier scheme ${String(unreachable)}`);
    }
  }
}

// A UCI's grammar accepts almost any "x-y" text, so detection needs more: a label, or a registration agency prefix
// shaped like the published ones (a letter and three or four digits: G704, I410).
const UCI_AGENCY_PREFIX = /^[A-Z]\d{3,4}(?=[-:+])/;

function looksLikeUci(text: string): boolean {
  const trimmed = text.trim();
  return UCI_LABEL.test(trimmed) || UCI_AGENCY_PREFIX.test(trimmed);
}

const DETECTABLE_SCHEMES = ['isbn', 'issn', 'isrc', 'iswc', 'isan', 'uci', 'kcc', 'url'] as const;

/**
 * Guesses the scheme of an identifier and parses it: the identifier when exactly one scheme accepts the text, and
 * `undefined` when none does or several do. URLs come back as `url`, never `url-prefix`. A UCI is only guessed
 * with a `UCI`/`urn:uci:` label or an agency prefix such as `G704-`, since its grammar would match most text with
 * a hyphen. Never throws.
 *
 * @example
 * ```ts
 * detectIdentifier('978-0-306-40615-7')?.scheme // 'isbn'
 * detectIdentifier('T-034.524.680-1')?.value    // 'T0345246801'
 * detectIdentifier('hello')                     // undefined
 * ```
 */
export function detectIdentifier(text: string): Identifier | undefined {
  if (typeof text !== 'string' || text.length > IDENTIFIER_LIMITS.maxText) return undefined;
  let guess: Identifier | undefined;
  for (const scheme of DETECTABLE_SCHEMES) {
    const parsed = parseIdentifier(scheme, text);
    if (!parsed.ok || (scheme === 'uci' && !looksLikeUci(text))) continue;
    if (guess !== undefined) return undefined;
    guess = parsed.value;
  }
  return guess;
}

const LABELS: { readonly [S in IdentifierScheme]: string } = {
  isbn: 'ISBN ',
  issn: 'ISSN ',
  isrc: 'ISRC ',
  iswc: 'ISWC ',
  isan: 'ISAN ',
  uci: 'UCI ',
  kcc: '',
  url: '',
  'url-prefix': '',
};

/**
 * Formats an identifier for people: its display form behind the scheme's label. `parseIdentifier(id.scheme,
 * formatIdentifier(id))` gives `id` back, and so does `detectIdentifier` for every scheme but `url-prefix`.
 *
 * @example
 * ```ts
 * formatIdentifier({ scheme: 'issn', value: '03178471', display: '0317-8471' }) // 'ISSN 0317-8471'
 * formatIdentifier({ scheme: 'kcc', value: 'C-2020-026202', display: 'C-2020-026202' }) // 'C-2020-026202'
 * ```
 */
export function formatIdentifier(id: Identifier): string {
  return `${LABELS[id.scheme] ?? ''}${id.display}`;
}

/**
 * True when `url` starts with `prefix` once both are normalised as URLs (see `parseIdentifier`'s `url` scheme).
 * The match is on the normalised strings, so `https://example.com/a` matches `https://example.com/ab`; a prefix
 * without a path gets `/` and so cannot match another host. False when either does not parse.
 *
 * @example
 * ```ts
 * urlMatchesPrefix('https://EXAMPLE.com:443/books/1#p2', 'https://example.com/books/') // true
 * urlMatchesPrefix('https://example.com.evil.test/', 'https://example.com')           // false
 * ```
 */
export function urlMatchesPrefix(url: string, prefix: string): boolean {
  const parsedUrl = parseIdentifier('url', url);
  const parsedPrefix = parseIdentifier('url-prefix', prefix);
  return parsedUrl.ok && parsedPrefix.ok && parsedUrl.value.value.startsWith(parsedPrefix.value.value);
}

/**
 * The prefixes of a normalised URL that a registered URL prefix may equal: the origin with `/`, every path prefix
 * ending before or at a `/`, the path without its query, and the whole URL. URL prefixes match at these boundaries:
 * the registry's check endpoint and the scanner both look a URL up under each, and the longest registered one wins.
 *
 * @example
 * ```ts
 * urlPrefixCandidates('https://example.com/books/1?p=2')
 * // ['https://example.com/', 'https://example.com/books', 'https://example.com/books/',
 * //  'https://example.com/books/1', 'https://example.com/books/1?p=2']
 * ```
 */
export function urlPrefixCandidates(url: string): string[] {
  const out = new Set<string>();
  const start = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', start);
  if (pathStart < 0) return [url, `${url}/`];
  const queryAt = url.search(/[?#]/);
  const pathEnd = queryAt < 0 ? url.length : queryAt;
  for (let i = pathStart; i < pathEnd; i += 1) {
    if (url[i] === '/') {
      out.add(url.slice(0, i));
      out.add(url.slice(0, i + 1));
    }
  }
  out.add(url.slice(0, pathEnd));
  out.add(url);
  out.delete(url.slice(0, pathStart));
  out.add(url.slice(0, pathStart + 1));
  return [...out];
}
