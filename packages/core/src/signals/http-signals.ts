import type { InputIssue } from '../errors.js';
import {
  readProtocolWord,
  writeProtocolWords,
  type PolicyByUse,
  type Protocol,
} from '../policy/protocol-vocabulary.js';
import { usesPermittedBy, usesRestrictedBy, USES, type Use, type UseScope } from '../policy/uses.js';
import { parseSfDictionary, type SfMember } from './structured-fields.js';

/** The most characters of one header field (all its lines combined) that heoga reads: 16 KiB. */
export const MAX_HEADER_LENGTH = 16 * 1024;

/** What a signal says about one of our uses, and the protocol word that decided it (absent when unknown). */
export interface UseSignal {
  readonly stance: 'allow' | 'deny' | 'unknown';
  readonly key?: string;
}

/** A signal's stance on each of our uses. */
export type UseSignals = { readonly [U in Use]: UseSignal };

/** One `key=value` pair as read from a header: the key as written, the value as text, and whether heoga knows the key. */
export interface SignalEntry {
  readonly key: string;
  /** The value as written; for AIPREF, a Token's text, or a description of another type (`"n"` string, `?1`…). */
  readonly value: string;
  readonly known: boolean;
}

/** The reading of a `Content-Usage` or `Content-Signal` header. */
export interface HeaderSignalReading {
  readonly byUse: UseSignals;
  /** Every member in order (unknown keys included); empty when the field did not parse. */
  readonly entries: readonly SignalEntry[];
  /** False when the field was malformed or too long: every use is then unknown. */
  readonly valid: boolean;
  readonly issues: readonly InputIssue[];
}

/** Every use unknown. */
export function unknownUseSignals(): UseSignals {
  return Object.fromEntries(USES.map((u) => [u, { stance: 'unknown' }])) as unknown as UseSignals;
}

/**
 * Combines readings per use with AIPREF's rule (research/signals.md §2): any deny wins, else any allow, else
 * unknown. The first word (in field order) that gave the winning stance is reported as the key.
 */
export function combineReadings(
  readings: readonly { readonly key: string; readonly stance: 'allow' | 'deny'; readonly uses: readonly UseScope[] }[],
): UseSignals {
  const out: Record<Use, UseSignal> = { ...unknownUseSignals() };
  for (const stance of ['allow', 'deny'] as const) {
    for (const reading of readings) {
      if (reading.stance !== stance) continue;
      const expand = stance === 'deny' ? usesRestrictedBy : usesPermittedBy;
      const uses = new Set(reading.uses.flatMap((scope) => expand(scope)));
      for (const use of uses) {
        if (out[use].stance !== stance) out[use] = { stance, key: reading.key };
      }
    }
  }
  return out;
}

/** Joins header lines as RFC 9110 §5.3 combines them; empty lines add nothing. */
function combineLines(value: string | readonly string[]): string {
  if (typeof value === 'string') return value;
  return value.filter((line) => line.trim() !== '').join(', ');
}

function tooLong(field: string, length: number): HeaderSignalReading {
  return {
    byUse: unknownUseSignals(),
    entries: [],
    valid: false,
    issues: [{ path: field, message: `field is ${length} characters; heoga reads at most ${MAX_HEADER_LENGTH}` }],
  };
}

/**
 * Reads the AIPREF `Content-Usage` response header (attach-05, vocab-07 and the older drafts' words): an RFC 9651
 * Dictionary whose values are the Tokens `y` (allow) and `n` (deny). Following the vocabulary's algorithm
 * (research/signals.md §2): parameters and unknown keys are ignored; a duplicate key's last value wins; any value
 * other than the Token `y` or `n` (a string `"n"`, a boolean, another token) is unknown; and a parse failure (an
 * uppercase key, a trailing comma, non-ASCII text) makes every use unknown. Keys are case-sensitive.
 *
 * Several field lines are combined as RFC 9110 §5.3 says, joined with `", "` in order, before parsing (RFC 9651
 * §4.2); pass them as an array. Lines that are empty are skipped. A field longer than {@link MAX_HEADER_LENGTH} is
 * not read. Words are mapped with `readProtocolWord('aipref', …)`; per use, any deny wins over any allow.
 *
 * @example
 * ```ts
 * parseContentUsage('train-ai=n, search=y').byUse['ai-train']  // { stance: 'deny', key: 'train-ai' }
 * parseContentUsage('train-ai=n, search=y').byUse.search        // { stance: 'allow', key: 'search' }
 * parseContentUsage('Train-AI=n').valid                          // false: every use unknown
 * ```
 */
export function parseContentUsage(value: string | readonly string[]): HeaderSignalReading {
  const field = combineLines(value);
  if (field.length > MAX_HEADER_LENGTH) return tooLong('Content-Usage', field.length);
  const parsed = parseSfDictionary(field);
  if (!parsed.ok) {
    return {
      byUse: unknownUseSignals(),
      entries: [],
      valid: false,
      issues: [{ path: `Content-Usage[${parsed.at}]`, message: `not a structured-field dictionary: ${parsed.reason}` }],
    };
  }
  const entries: SignalEntry[] = [];
  const readings: { key: string; stance: 'allow' | 'deny'; uses: readonly UseScope[] }[] = [];
  for (const [key, member] of parsed.value) {
    const token = member.kind === 'item' && member.value.kind === 'token' ? member.value.value : undefined;
    // Only a Token's text is handed to the vocabulary: a string "n" or a boolean must stay unknown.
    const reading = readProtocolWord('aipref', key, token ?? '');
    entries.push({ key, value: token ?? describeMember(member), known: reading.known });
    if (reading.known && reading.stance !== 'unknown')
      readings.push({ key, stance: reading.stance, uses: reading.uses });
  }
  return { byUse: combineReadings(readings), entries, valid: true, issues: [] };
}

function describeMember(member: SfMember): string {
  if (member.kind === 'inner-list') return '(inner list)';
  const v = member.value;
  switch (v.kind) {
    case 'boolean':
      return v.value ? '?1' : '?0';
    case 'string':
      return JSON.stringify(v.value);
    case 'token':
      return v.value;
    case 'integer':
    case 'decimal':
    case 'date':
    case 'byte-sequence':
    case 'display-string':
      return `(${v.kind})`;
    default: {
      const never: never = v;
      return never;
    }
  }
}

/**
 * Writes a `Content-Usage` field value (without the field name) for `policy`, with the words
 * `writeProtocolWords('aipref', …)` chooses: vocab-07's `train-ai` and `search`, `n` for a refusal or a price,
 * `y` for a permission; a use with no stance is left out. An empty string means nothing to say.
 *
 * @example
 * ```ts
 * formatContentUsage({ 'ai-train': 'deny', 'ai-train-genai': 'deny', 'ai-input': 'unknown', 'ai-index': 'unknown', search: 'allow' })
 * // 'train-ai=n, search=y'
 * ```
 */
export function formatContentUsage(policy: PolicyByUse): string {
  return formatWords('aipref', policy, '=', ', ');
}

function formatWords(protocol: Protocol, policy: PolicyByUse, eq: string, sep: string): string {
  return writeProtocolWords(protocol, policy)
    .map((w) => `${w.word}${eq}${w.spelled}`)
    .join(sep);
}

/**
 * Reads a Cloudflare Content Signals value (research/signals.md §3) in its HTTP header form
 * (`Content-Signal: ai-train=no, search=yes, ai-input=yes`) or as the value of a robots.txt `Content-Signal:` line.
 * Keys and the values `yes`/`no` are case-insensitive; unknown keys (such as 2026's `use=`) are kept in `entries`
 * but say nothing about our uses; a pair without `=` or with another value is unknown; an optional leading `/path`
 * token (AIPREF's robots.txt style) is ignored. The format defines no duplicate-key rule, so every pair counts
 * and, per use, any deny wins over any allow. Several lines are joined with `", "`.
 *
 * @example
 * ```ts
 * parseContentSignal('AI-Train=No, search=yes').byUse['ai-train']  // { stance: 'deny', key: 'ai-train' }
 * parseContentSignal('/docs/ ai-input=yes').byUse['ai-input']      // { stance: 'allow', key: 'ai-input' }
 * ```
 */
export function parseContentSignal(value: string | readonly string[]): HeaderSignalReading {
  let field = combineLines(value);
  if (field.length > MAX_HEADER_LENGTH) return tooLong('Content-Signal', field.length);
  field = field.trim();
  const issues: InputIssue[] = [];
  const path = /^\/[^\s,]*(?:\s+|$)/.exec(field);
  if (path) field = field.slice(path[0].length);
  const entries: SignalEntry[] = [];
  const readings: { key: string; stance: 'allow' | 'deny'; uses: readonly UseScope[] }[] = [];
  field.split(',').forEach((part, index) => {
    const text = part.trim();
    if (text === '') return;
    const eq = text.indexOf('=');
    if (eq < 0) {
      issues.push({ path: `Content-Signal[${index}]`, message: `no "=" in "${text.slice(0, 64)}"` });
      return;
    }
    const key = text.slice(0, eq).trim().toLowerCase();
    const val = text.slice(eq + 1).trim();
    const reading = readProtocolWord('content-signals', key, val);
    entries.push({ key, value: val, known: reading.known });
    if (reading.known && reading.stance !== 'unknown')
      readings.push({ key, stance: reading.stance, uses: reading.uses });
  });
  return { byUse: combineReadings(readings), entries, valid: true, issues };
}

/**
 * Writes a Content Signals value (without the field name) for `policy`, with the words
 * `writeProtocolWords('content-signals', …)` chooses (`ai-train`, `ai-input`, `search`; `yes`/`no`); usable as the
 * HTTP `Content-Signal` header value or after `Content-Signal: ` in robots.txt.
 *
 * @example
 * ```ts
 * formatContentSignal({ 'ai-train': 'deny', 'ai-train-genai': 'deny', 'ai-input': 'allow', 'ai-index': 'deny', search: 'allow' })
 * // 'ai-train=no, ai-input=yes, search=yes'
 * ```
 */
export function formatContentSignal(policy: PolicyByUse): string {
  return formatWords('content-signals', policy, '=', ', ');
}
