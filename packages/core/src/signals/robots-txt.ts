import { readProtocolWord, type Protocol } from '../policy/protocol-vocabulary.js';
import { USES, usesPermittedBy, usesRestrictedBy, type Use } from '../policy/uses.js';
import { normaliseRobotsPath, robotsPathOfUrl, robotsPatternMatches, utf8Length } from './robots/path-pattern.js';
import { parseSfDictionary } from './structured-fields.js';

/**
 * A robots.txt reader (RFC 9309) that also reads the AI-use lines found inside groups: AIPREF `Content-Usage`
 * (research/signals.md §2), Cloudflare `Content-Signal` (§3) and RSL `License` (§4).
 *
 * Choices where the specs leave room or differ (research/signals.md §5, §8):
 * - The input is bounded to exactly 500 KiB of UTF-8 (RFC 9309 §2.5 asks for at least 500 KiB); the rest is ignored
 *   and `truncated` says so.
 * - Google's accepted typos (`useragent`, `user agent`, `dissallow`, `dissalow`, `disalow`, `diasllow`, `disallaw`,
 *   `site-map`) and a missing colon after a known name (`disallow /`) are accepted, as Google's reference parser
 *   does, because real files contain them; such lines are flagged with `typo` / `missingColon`.
 * - Allow, Disallow, Content-Usage and Content-Signal lines are rules: a user-agent line after one starts a new
 *   group (RFC 9309 §2.1). Sitemap, License and unknown lines never end a group.
 * - A `License` line before the first user-agent line is global; after it, the line belongs to the current group.
 */

/** Exactly 500 KiB: the bytes of UTF-8 read; the rest of a longer file is ignored (RFC 9309 §2.5). */
export const ROBOTS_TXT_MAX_BYTES = 512_000;

/** A line of the file, kept as evidence: 1-based line number and the raw text without its line ending. */
export interface RobotsLine {
  readonly line: number;
  readonly text: string;
}

/** How a line's name was recognised. */
export interface RobotsLineFlags {
  /** The name was one of Google's accepted misspellings (`dissallow`, `useragent`, …). */
  readonly typo: boolean;
  /** The line had no colon (`disallow /`); accepted for known names only. */
  readonly missingColon: boolean;
}

/** A `User-agent` line. */
export interface RobotsUserAgent extends RobotsLine, RobotsLineFlags {
  /** The value as written, trimmed. */
  readonly value: string;
  /** True for `*`. */
  readonly global: boolean;
  /** The value lowercased. */
  readonly fullName: string;
  /** The leading `[A-Za-z_-]` run, lowercased: what Google's parser keeps (`AI2Bot` → `ai`). */
  readonly truncatedName: string;
  /** True when the value is a valid RFC 9309 product token (`[A-Za-z_-]+`), so both readings agree. */
  readonly validToken: boolean;
}

/** An `Allow` or `Disallow` rule. */
export interface RobotsRule extends RobotsLine, RobotsLineFlags {
  readonly kind: 'allow' | 'disallow';
  /** The pattern normalised for octet comparison (see `normaliseRobotsPath`); empty matches nothing. */
  readonly pattern: string;
}

/** A `Content-Usage` (AIPREF) or `Content-Signal` (Cloudflare) line: an optional path and per-use stances. */
export interface RobotsPreferenceLine extends RobotsLine {
  /** The normalised path pattern, or `undefined` when the line has none (it applies to every path). */
  readonly path: string | undefined;
  /** The preference text after the path. */
  readonly preference: string;
  /** False when the preference did not parse: every use is then unknown for this line (AIPREF). */
  readonly parsed: boolean;
  /** What the line says per use; uses it does not mention are absent. */
  readonly stances: { readonly [U in Use]?: PreferenceWord };
}

/** One protocol word's effect on one use. */
export interface PreferenceWord {
  readonly stance: 'allow' | 'deny';
  readonly word: string;
  readonly value: string;
}

/** A `License` line (RSL 1.0 discovery). */
export interface RobotsLicense extends RobotsLine {
  readonly url: string;
}

/** A `Sitemap` line. */
export interface RobotsSitemap extends RobotsLine {
  readonly url: string;
}

/** A group: one or more user-agent lines and the lines that follow until the next group (RFC 9309 §2.1). */
export interface RobotsGroup {
  readonly userAgents: readonly RobotsUserAgent[];
  readonly rules: readonly RobotsRule[];
  readonly contentUsage: readonly RobotsPreferenceLine[];
  readonly contentSignal: readonly RobotsPreferenceLine[];
  readonly licenses: readonly RobotsLicense[];
}

/** Why a non-empty line had no effect. */
export type RobotsIgnoredReason =
  'before-first-group' | 'unknown-name' | 'no-colon' | 'empty-user-agent' | 'license-not-absolute';

/** A line that had no effect, with the reason. */
export interface RobotsIgnoredLine extends RobotsLine {
  readonly reason: RobotsIgnoredReason;
  /** The lowercased name, when the line had one. */
  readonly name?: string;
}

/** A parsed robots.txt. */
export interface RobotsTxt {
  readonly groups: readonly RobotsGroup[];
  /** `License` lines before the first group: they apply unless the selected group has its own. */
  readonly licenses: readonly RobotsLicense[];
  readonly sitemaps: readonly RobotsSitemap[];
  readonly ignored: readonly RobotsIgnoredLine[];
  /** True when the input was longer than `ROBOTS_TXT_MAX_BYTES` and the rest was ignored. */
  readonly truncated: boolean;
  /** The UTF-8 bytes read (at most `ROBOTS_TXT_MAX_BYTES`). */
  readonly bytesRead: number;
}

type Directive = 'user-agent' | 'allow' | 'disallow' | 'sitemap' | 'content-usage' | 'content-signal' | 'license';

const NAMES: ReadonlyMap<string, Directive> = new Map([
  ['user-agent', 'user-agent'],
  ['allow', 'allow'],
  ['disallow', 'disallow'],
  ['sitemap', 'sitemap'],
  ['content-usage', 'content-usage'],
  ['content-signal', 'content-signal'],
  ['license', 'license'],
]);

// Google's reference parser accepts these misspellings (robots.cc, reporting_robots_test.cc).
const TYPOS: ReadonlyMap<string, Directive> = new Map([
  ['useragent', 'user-agent'],
  ['user agent', 'user-agent'],
  ['dissallow', 'disallow'],
  ['dissalow', 'disallow'],
  ['disalow', 'disallow'],
  ['diasllow', 'disallow'],
  ['disallaw', 'disallow'],
  ['site-map', 'sitemap'],
]);

/** RFC 9309 §2.2: whitespace is SP and HTAB only (String#trim would also strip a stray BOM). */
const WS_EDGES = /^[ \t]+|[ \t]+$/g;

/** RFC 9309 §2.2.1: a crawler's product token is `[A-Za-z_-]+`. */
const PRODUCT_TOKEN = /^[A-Za-z_-]+$/;

/**
 * True when `value` is a valid RFC 9309 product token (`[A-Za-z_-]+`, §2.2.1): the only user-agent values every
 * parser reads the same way.
 *
 * @example
 * ```ts
 * isRobotsProductToken('GPTBot')        // true
 * isRobotsProductToken('ChatGPT Agent') // false
 * ```
 */
export function isRobotsProductToken(value: string): boolean {
  return PRODUCT_TOKEN.test(value);
}

/** Cuts `text` to at most `ROBOTS_TXT_MAX_BYTES` bytes of UTF-8, on a code point boundary. */
function boundToLimit(text: string): { readonly text: string; readonly bytes: number; readonly truncated: boolean } {
  let bytes = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    // A lone surrogate is written as U+FFFD (3 bytes) by a UTF-8 encoder.
    const size = cp >= 0xd800 && cp <= 0xdfff ? 3 : utf8Length(cp);
    if (bytes + size > ROBOTS_TXT_MAX_BYTES) return { text: text.slice(0, i), bytes, truncated: true };
    bytes += size;
    i += cp > 0xffff ? 2 : 1;
  }
  return { text, bytes, truncated: false };
}

interface MutableGroup {
  userAgents: RobotsUserAgent[];
  rules: RobotsRule[];
  contentUsage: RobotsPreferenceLine[];
  contentSignal: RobotsPreferenceLine[];
  licenses: RobotsLicense[];
  hasRule: boolean;
}

/** Splits `name: value`; without a colon, accepts `name value` for known names only (Google's behaviour). */
function splitLine(
  content: string,
): { readonly name: string; readonly value: string; readonly missingColon: boolean } | undefined {
  const colon = content.indexOf(':');
  if (colon >= 0) {
    return {
      name: content.slice(0, colon).replace(WS_EDGES, '').toLowerCase(),
      value: content.slice(colon + 1).replace(WS_EDGES, ''),
      missingColon: false,
    };
  }
  const lower = content.toLowerCase();
  for (const name of [...NAMES.keys(), ...TYPOS.keys()]) {
    if (lower.startsWith(name) && /^[ \t]/.test(content.slice(name.length))) {
      return { name, value: content.slice(name.length).replace(WS_EDGES, ''), missingColon: true };
    }
  }
  return undefined;
}

/** Splits an AI preference value into an optional leading path and the preference (AIPREF attach §robots.txt). */
function splitPathAndPreference(value: string): { readonly path: string | undefined; readonly preference: string } {
  if (!value.startsWith('/')) return { path: undefined, preference: value };
  const end = value.search(/[ \t]/);
  if (end < 0) return { path: normaliseRobotsPath(value), preference: '' };
  return { path: normaliseRobotsPath(value.slice(0, end)), preference: value.slice(end).replace(WS_EDGES, '') };
}

/** Adds one protocol word's reading to a line's per-use stances; a refusal beats a permission (AIPREF §combining). */
function addReading(
  stances: { [U in Use]?: PreferenceWord },
  protocol: Protocol,
  word: string,
  value: string | undefined,
): void {
  const reading = readProtocolWord(protocol, word, value);
  if (!reading.known || reading.stance === 'unknown') return;
  const uses = new Set<Use>(
    reading.uses.flatMap((scope) => (reading.stance === 'deny' ? usesRestrictedBy(scope) : usesPermittedBy(scope))),
  );
  for (const use of uses) {
    if (stances[use]?.stance === 'deny') continue;
    stances[use] = { stance: reading.stance, word, value: value ?? '' };
  }
}

/** AIPREF: the preference is an RFC 9651 dictionary of tokens `y`/`n`; parameters ignored; failure → all unknown. */
function readContentUsage(preference: string): {
  readonly parsed: boolean;
  readonly stances: { [U in Use]?: PreferenceWord };
} {
  const stances: { [U in Use]?: PreferenceWord } = {};
  const dict = parseSfDictionary(preference);
  if (!dict.ok) return { parsed: false, stances };
  for (const [key, member] of dict.value) {
    const token = member.kind === 'item' && member.value.kind === 'token' ? member.value.value : undefined;
    // A boolean, string or other non-token value is unknown (vocab draft, processing algorithm).
    addReading(stances, 'aipref', key, token);
  }
  return { parsed: true, stances };
}

/** Content Signals: comma-separated `key=value`, `yes`/`no`, case-insensitive; malformed members are skipped. */
function readContentSignal(preference: string): {
  readonly parsed: boolean;
  readonly stances: { [U in Use]?: PreferenceWord };
} {
  const stances: { [U in Use]?: PreferenceWord } = {};
  for (const member of preference.split(',')) {
    const eq = member.indexOf('=');
    if (eq < 0) continue;
    addReading(
      stances,
      'content-signals',
      member.slice(0, eq).replace(WS_EDGES, '').toLowerCase(),
      member.slice(eq + 1).replace(WS_EDGES, ''),
    );
  }
  return { parsed: true, stances };
}

const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/**
 * Parses a robots.txt file (RFC 9309) with the AI lines inside its groups. Never throws: every line that cannot be
 * used is listed in `ignored`. Reads at most 500 KiB of UTF-8 (`truncated` says when more was given), skips a UTF-8
 * BOM, accepts LF, CRLF and CR line endings, and keeps the line number and text of every line it uses.
 *
 * @example
 * ```ts
 * const robots = parseRobotsTxt('User-agent: *\nDisallow: /private/\nContent-Usage: train-ai=n\n');
 * robots.groups[0]?.rules[0]?.pattern // '/private/'
 * ```
 */
export function parseRobotsTxt(input: string): RobotsTxt {
  const bounded = boundToLimit(input);
  // A UTF-8 BOM at the start is skipped; one elsewhere makes its line unreadable (Google's behaviour).
  const text = bounded.text.startsWith('\uFEFF') ? bounded.text.slice(1) : bounded.text;
  const lines = text.split(/\r\n|\r|\n/);

  const groups: MutableGroup[] = [];
  const globalLicenses: RobotsLicense[] = [];
  const sitemaps: RobotsSitemap[] = [];
  const ignored: RobotsIgnoredLine[] = [];
  let current: MutableGroup | undefined;

  lines.forEach((raw, index) => {
    const line = index + 1;
    // RFC 9309 §2.2: `#` starts a comment anywhere on a line.
    const hash = raw.indexOf('#');
    const content = (hash >= 0 ? raw.slice(0, hash) : raw).replace(WS_EDGES, '');
    if (content === '') return;
    const evidence: RobotsLine = { line, text: raw };
    const split = splitLine(content);
    if (!split) {
      ignored.push({ ...evidence, reason: 'no-colon' });
      return;
    }
    const { name, value, missingColon } = split;
    const directive = NAMES.get(name) ?? TYPOS.get(name);
    if (!directive) {
      ignored.push({ ...evidence, reason: 'unknown-name', name });
      return;
    }
    const flags: RobotsLineFlags = { typo: !NAMES.has(name), missingColon };

    switch (directive) {
      case 'user-agent': {
        // RFC 9309 §2.1: consecutive user-agent lines share a group; one after a rule starts a new group.
        if (!current || current.hasRule) {
          current = { userAgents: [], rules: [], contentUsage: [], contentSignal: [], licenses: [], hasRule: false };
          groups.push(current);
        }
        const global = value === '*' || /^\*[ \t]/.test(value);
        const truncatedName = (/^[A-Za-z_-]*/.exec(value)?.[0] ?? '').toLowerCase();
        if (!global && value === '') ignored.push({ ...evidence, reason: 'empty-user-agent', name });
        current.userAgents.push({
          ...evidence,
          ...flags,
          value,
          global,
          fullName: value.toLowerCase(),
          truncatedName,
          validToken: PRODUCT_TOKEN.test(value),
        });
        return;
      }
      case 'sitemap':
        // RFC 9309 §2.3.5 (other records): sitemaps apply anywhere and never end a group.
        sitemaps.push({ ...evidence, url: value });
        return;
      case 'license': {
        if (!ABSOLUTE_URL.test(value)) {
          ignored.push({ ...evidence, reason: 'license-not-absolute', name });
          return;
        }
        (current ? current.licenses : globalLicenses).push({ ...evidence, url: value });
        return;
      }
      case 'allow':
      case 'disallow':
      case 'content-usage':
      case 'content-signal':
        break;
      default: {
        const unreachable: never = directive;
        return unreachable;
      }
    }

    // RFC 9309 §2.1: rules before the first user-agent line belong to no group.
    if (!current) {
      ignored.push({ ...evidence, reason: 'before-first-group', name });
      return;
    }
    current.hasRule = true;
    if (directive === 'allow' || directive === 'disallow') {
      current.rules.push({ ...evidence, ...flags, kind: directive, pattern: normaliseRobotsPath(value) });
    } else {
      const { path, preference } = splitPathAndPreference(value);
      const read = directive === 'content-usage' ? readContentUsage(preference) : readContentSignal(preference);
      (directive === 'content-usage' ? current.contentUsage : current.contentSignal).push({
        ...evidence,
        path,
        preference,
        ...read,
      });
    }
  });

  return {
    groups: groups.map(({ hasRule: _hasRule, ...group }) => group),
    licenses: globalLicenses,
    sitemaps,
    ignored,
    truncated: bounded.truncated,
    bytesRead: bounded.bytes,
  };
}

/** What to evaluate: a crawler's product token and a URL or a path. */
export type RobotsQuery =
  | { readonly userAgent: string; readonly url: string; readonly path?: never }
  | { readonly userAgent: string; readonly path: string; readonly url?: never };

/** The answer for one use, with the line that decided it. */
export interface RobotsUseAnswer {
  readonly stance: 'allow' | 'deny' | 'unknown';
  /** The deciding line(s): several when lines with the same path were combined. Absent for `unknown`. */
  readonly decidedBy?: readonly (RobotsLine & { readonly word: string; readonly value: string })[];
}

/** Per-use answers of one kind of preference line. */
export type RobotsUseAnswers = { readonly [U in Use]: RobotsUseAnswer };

/** A user-agent line whose value is not a valid product token, so parsers disagree on what it names. */
export interface RobotsUserAgentAmbiguity extends RobotsLine {
  readonly value: string;
  /** How our match read it: the full name (`AI2Bot`) or Google's truncated name (`AI`). */
  readonly matchedAs: 'full' | 'truncated';
  /** What Google's reference parser reads: the truncated name. */
  readonly googleReads: string;
}

/** The result of evaluating a robots.txt for one crawler and path. */
export interface RobotsEvaluation {
  /** True when the crawler may fetch the path. */
  readonly allowed: boolean;
  /** Why: `robots-txt` (always allowed), `rule` (a rule matched), `no-rule` (none matched), `no-group`. */
  readonly reason: 'robots-txt' | 'rule' | 'no-rule' | 'no-group';
  /** The normalised path that was evaluated. */
  readonly path: string;
  /** The rule that decided, when one did. */
  readonly matchedRule?: RobotsRule;
  /** How the groups were chosen: by the crawler's token, by `*`, or none applies. */
  readonly selectedBy: 'user-agent' | 'global' | 'none';
  /** The user-agent lines of the selected groups. */
  readonly groupLines: readonly RobotsLine[];
  /** Matching user-agent lines that are not valid product tokens (RFC 9309 §2.2.1). */
  readonly ambiguities: readonly RobotsUserAgentAmbiguity[];
  /** AIPREF `Content-Usage` per use; all unknown when the path may not be crawled. */
  readonly contentUsage: RobotsUseAnswers;
  /** Cloudflare `Content-Signal` per use (it does not depend on crawl permission). */
  readonly contentSignal: RobotsUseAnswers;
  /** RSL licence URLs: the selected groups' lines, or the global lines when they have none. */
  readonly licenses: readonly string[];
  readonly licenseLines: readonly RobotsLicense[];
  /** Copied from the parse: the file was cut at 500 KiB. */
  readonly truncated: boolean;
}

function allUnknown(): RobotsUseAnswers {
  return Object.fromEntries(USES.map((u) => [u, { stance: 'unknown' }])) as unknown as RobotsUseAnswers;
}

/**
 * Chooses preference lines for `path` by the longest matching path (a line without a path matches with length 0),
 * and combines lines of equal length most-restrictively: deny, else allow, else unknown (AIPREF attach draft).
 */
function answerPreferences(lines: readonly RobotsPreferenceLine[], path: string): RobotsUseAnswers {
  const matching = lines.filter((l) => l.path === undefined || robotsPatternMatches(l.path, path));
  const longest = Math.max(-1, ...matching.map((l) => l.path?.length ?? 0));
  const chosen = matching.filter((l) => (l.path?.length ?? 0) === longest);
  const answers: { [U in Use]?: RobotsUseAnswer } = {};
  for (const use of USES) {
    const says = chosen.flatMap((l) => {
      const word = l.stances[use];
      return word ? [{ line: l.line, text: l.text, word: word.word, value: word.value, stance: word.stance }] : [];
    });
    const deny = says.filter((s) => s.stance === 'deny');
    const decided = deny.length > 0 ? deny : says;
    const first = decided[0];
    answers[use] = first
      ? { stance: first.stance, decidedBy: decided.map(({ stance: _stance, ...rest }) => rest) }
      : { stance: 'unknown' };
  }
  return answers as RobotsUseAnswers;
}

/**
 * Evaluates a parsed robots.txt for one crawler and one URL or path (RFC 9309 §2.2).
 *
 * Group selection (§2.2.1): product tokens compare case-insensitively; every matching group is merged; a matching
 * group replaces `*` entirely; with no match the `*` groups apply; with no group everything is allowed.
 * User-agent values that are not valid tokens (ai.robots.txt lists `ChatGPT Agent`, `AI2Bot`, `img2dataset`) are
 * read two ways, because parsers disagree: by their full name, as their authors meant, and by the leading
 * `[A-Za-z_-]` run that Google's reference parser keeps (`AI2Bot` → `AI`). A match either way counts, and is
 * reported in `ambiguities` so the caller can see that another parser may decide differently.
 *
 * Rules (§2.2.2): the longest matching pattern in octets wins; a tie between allow and disallow is allowed; an empty
 * pattern matches nothing; `/robots.txt` is always allowed. A URL is reduced to its path, params and query; both
 * the path and the patterns are percent-encoded for non-ASCII with uppercase hex (§2.2.2), never decoded.
 *
 * @example
 * ```ts
 * const robots = parseRobotsTxt('User-agent: *\nDisallow: /private/\nContent-Usage: train-ai=n, search=y\n');
 * const result = evaluateRobotsTxt(robots, { userAgent: 'ExampleBot', url: 'https://example.com/blog/post' });
 * result.allowed                          // true
 * result.contentUsage['ai-train'].stance  // 'deny'
 * ```
 */
export function evaluateRobotsTxt(robots: RobotsTxt, query: RobotsQuery): RobotsEvaluation {
  const rawPath = query.url !== undefined ? robotsPathOfUrl(query.url) : query.path || '/';
  const path = normaliseRobotsPath(rawPath.startsWith('/') ? rawPath : `/${rawPath}`);
  const agent = query.userAgent.replace(WS_EDGES, '').toLowerCase();

  const ambiguities: RobotsUserAgentAmbiguity[] = [];
  const specific = robots.groups.filter((group) => {
    let matched = false;
    for (const ua of group.userAgents) {
      if (ua.global || agent === '') continue;
      const full = ua.fullName === agent;
      const truncated = ua.truncatedName !== '' && ua.truncatedName === agent;
      if (!full && !truncated) continue;
      matched = true;
      if (!ua.validToken) {
        ambiguities.push({
          line: ua.line,
          text: ua.text,
          value: ua.value,
          matchedAs: full ? 'full' : 'truncated',
          googleReads: ua.truncatedName,
        });
      }
    }
    return matched;
  });
  const selected = specific.length > 0 ? specific : robots.groups.filter((g) => g.userAgents.some((ua) => ua.global));
  const selectedBy = specific.length > 0 ? 'user-agent' : selected.length > 0 ? 'global' : 'none';

  const rules = selected.flatMap((g) => g.rules);
  let matchedRule: RobotsRule | undefined;
  for (const rule of rules) {
    if (rule.pattern === '' || !robotsPatternMatches(rule.pattern, path)) continue;
    // §2.2.2: the most specific (longest) match wins; on a tie, allow.
    if (
      !matchedRule ||
      rule.pattern.length > matchedRule.pattern.length ||
      (rule.pattern.length === matchedRule.pattern.length && rule.kind === 'allow')
    ) {
      matchedRule = rule;
    }
  }
  // §2.2.2: "/robots.txt" is implicitly allowed.
  const isRobotsTxt = path === '/robots.txt';
  const allowed = isRobotsTxt || !matchedRule || matchedRule.kind === 'allow';
  const reason = isRobotsTxt ? 'robots-txt' : matchedRule ? 'rule' : selected.length > 0 ? 'no-rule' : 'no-group';

  const groupLicenses = selected.flatMap((g) => g.licenses);
  const licenseLines = groupLicenses.length > 0 ? groupLicenses : robots.licenses;

  return {
    allowed,
    reason,
    path,
    ...(matchedRule && !isRobotsTxt ? { matchedRule } : {}),
    selectedBy,
    groupLines: selected.flatMap((g) => g.userAgents.map((ua) => ({ line: ua.line, text: ua.text }))),
    ambiguities,
    // AIPREF attach: preferences apply only to paths the crawler may fetch.
    contentUsage: allowed
      ? answerPreferences(
          selected.flatMap((g) => g.contentUsage),
          path,
        )
      : allUnknown(),
    contentSignal: answerPreferences(
      selected.flatMap((g) => g.contentSignal),
      path,
    ),
    licenses: [...new Set(licenseLines.map((l) => l.url))],
    licenseLines,
    truncated: robots.truncated,
  };
}
