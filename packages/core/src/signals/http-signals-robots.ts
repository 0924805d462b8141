import type { InputIssue } from '../errors.js';
import { readProtocolWord } from '../policy/protocol-vocabulary.js';
import type { UseScope } from '../policy/uses.js';
import { combineReadings, MAX_HEADER_LENGTH, type UseSignals } from './http-signals.js';

/** Robots directives about search that heoga reports but does not read as AI refusals (research/signals.md §6). */
export const SEARCH_DIRECTIVES = ['noindex', 'none', 'noimageindex', 'noarchive'] as const;

/** A search-related robots directive. */
export type SearchDirective = (typeof SEARCH_DIRECTIVES)[number];

/** One directive that applies to the asking crawler. */
export interface RobotsDirective {
  /** Lowercased directive name (`noai`, `noindex`, `max-snippet`…). */
  readonly name: string;
  /** The value after `:` for valued directives (`max-snippet: 20` → `20`). */
  readonly value?: string;
  /** The bot the directive was addressed to, lowercased; absent when addressed to every bot. */
  readonly bot?: string;
}

/** The reading of `X-Robots-Tag` header lines or a robots `<meta>` element. */
export interface RobotsDirectivesReading {
  /** AI refusals from `noai` / `noimageai` (mapped with `readProtocolWord('noai', …)`); never an allow. */
  readonly byUse: UseSignals;
  /** The AI directives found (`noai`, `noimageai`), lowercased, without repeats. */
  readonly aiDirectives: readonly string[];
  /** Search directives found (`noindex`, `none`, `noimageindex`, `noarchive`): reported, not AI refusals. */
  readonly searchDirectives: readonly SearchDirective[];
  /** Every directive that applies to the crawler, in order. */
  readonly directives: readonly RobotsDirective[];
  /** How many directives were addressed to other bots and skipped. */
  readonly ignored: number;
  readonly issues: readonly InputIssue[];
}

/** Google's directives that take a value after `:`; a word before `:` that is not one of these is a bot name. */
const VALUED_DIRECTIVES: ReadonlySet<string> = new Set([
  'unavailable_after',
  'max-snippet',
  'max-image-preview',
  'max-video-preview',
]);

const BOT_NAME = /^[a-z0-9_.\-*]+$/;

function splitDirective(text: string): { name: string; value?: string } {
  const colon = text.indexOf(':');
  if (colon < 0) return { name: text.trim().toLowerCase() };
  return { name: text.slice(0, colon).trim().toLowerCase(), value: text.slice(colon + 1).trim() };
}

function buildReading(
  directives: readonly RobotsDirective[],
  ignored: number,
  issues: readonly InputIssue[],
): RobotsDirectivesReading {
  const readings: { key: string; stance: 'allow' | 'deny'; uses: readonly UseScope[] }[] = [];
  const ai: string[] = [];
  const search: SearchDirective[] = [];
  for (const d of directives) {
    if (d.value !== undefined) continue;
    const reading = readProtocolWord('noai', d.name);
    if (reading.known) {
      if (!ai.includes(d.name)) ai.push(d.name);
      if (reading.stance !== 'unknown') readings.push({ key: d.name, stance: reading.stance, uses: reading.uses });
    }
    const s = SEARCH_DIRECTIVES.find((x) => x === d.name);
    if (s && !search.includes(s)) search.push(s);
  }
  return { byUse: combineReadings(readings), aiDirectives: ai, searchDirectives: search, directives, ignored, issues };
}

function normaliseAgent(userAgent: string | undefined): string | undefined {
  const agent = userAgent?.trim().toLowerCase();
  return agent ? agent : undefined;
}

/**
 * Reads `X-Robots-Tag` header lines with Google's grammar (research/signals.md §6): each line is a comma-separated
 * list of directives; a line may start with `botname:`, which addresses that line's directives to one bot (a later
 * `otherbot: directive` element in the same line switches the bot); several lines are combined. Directives for
 * every bot and for `userAgent` (compared without regard to case; pass the product token, e.g. `SpawningBot`) apply;
 * those for other bots are skipped. `noai` and `noimageai` are AI refusals; `noindex`, `none`, `noimageindex` and
 * `noarchive` are reported as search directives only. Directive names are case-insensitive. Lines beyond
 * {@link MAX_HEADER_LENGTH} characters in total are not read.
 *
 * Unlike datadiligence, `spawningbot: noai, noimageai` addresses both directives to `spawningbot`, as Google reads it.
 *
 * @example
 * ```ts
 * parseXRobotsTag(['noai, noimageai']).byUse['ai-train']            // { stance: 'deny', key: 'noai' }
 * parseXRobotsTag(['googlebot: noindex'], 'Bingbot').directives      // []
 * parseXRobotsTag(['noindex']).searchDirectives                      // ['noindex']
 * ```
 */
export function parseXRobotsTag(headerValues: readonly string[], userAgent?: string): RobotsDirectivesReading {
  const issues: InputIssue[] = [];
  const agent = normaliseAgent(userAgent);
  const directives: RobotsDirective[] = [];
  let ignored = 0;
  let total = 0;
  headerValues.forEach((line, lineIndex) => {
    total += line.length;
    if (total > MAX_HEADER_LENGTH) {
      if (total - line.length <= MAX_HEADER_LENGTH) {
        issues.push({ path: `X-Robots-Tag[${lineIndex}]`, message: `more than ${MAX_HEADER_LENGTH} characters` });
      }
      return;
    }
    let bot: string | undefined;
    for (const element of line.split(',')) {
      const text = element.trim();
      if (text === '') continue;
      let { name, value } = splitDirective(text);
      if (value !== undefined && !VALUED_DIRECTIVES.has(name) && BOT_NAME.test(name)) {
        // `botname: directive` — the rest of the element is the directive.
        bot = name;
        if (value === '') continue;
        ({ name, value } = splitDirective(value));
      }
      if (bot !== undefined && bot !== agent) {
        ignored++;
        continue;
      }
      directives.push({ name, ...(value !== undefined ? { value } : {}), ...(bot !== undefined ? { bot } : {}) });
    }
  });
  return buildReading(directives, ignored, issues);
}

/**
 * Reads one robots `<meta>` element, given its `name` and `content` attributes (the caller extracts them from the
 * HTML). `name="robots"` addresses every bot; any other name addresses the bot of that name, compared with
 * `userAgent` without regard to case (`<meta name="SpawningBot" content="noai">`); a name for another bot is
 * skipped whole. The content is a comma-separated directive list, read as {@link parseXRobotsTag} reads one line
 * without a bot prefix.
 *
 * @example
 * ```ts
 * parseMetaRobots('robots', 'noai, noimageai').aiDirectives   // ['noai', 'noimageai']
 * parseMetaRobots('googlebot', 'noai', 'SpawningBot').ignored // 1
 * ```
 */
export function parseMetaRobots(name: string, content: string, userAgent?: string): RobotsDirectivesReading {
  if (content.length > MAX_HEADER_LENGTH) {
    return buildReading([], 0, [{ path: 'meta', message: `content longer than ${MAX_HEADER_LENGTH} characters` }]);
  }
  const metaName = name.trim().toLowerCase();
  const agent = normaliseAgent(userAgent);
  const parts = content
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (metaName !== 'robots' && metaName !== agent) return buildReading([], parts.length, []);
  const bot = metaName === 'robots' ? undefined : metaName;
  const directives = parts.map((p): RobotsDirective => {
    const { name: directive, value } = splitDirective(p);
    return { name: directive, ...(value !== undefined ? { value } : {}), ...(bot !== undefined ? { bot } : {}) };
  });
  return buildReading(directives, 0, []);
}
