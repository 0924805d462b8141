import type { Use } from '../policy/uses.js';

/**
 * AI crawlers that robots.txt rules and heoga's signal writer name. heoga keeps its own list, in this format, in
 * `ai-crawlers.generated.ts`, made by `npm run refresh:ai-crawlers` from the ai.robots.txt project's `robots.json`
 * (MIT, github.com/ai-robots-txt/ai.robots.txt).
 *
 * Matching names that are not RFC 9309 product tokens: 21 listed names contain spaces, digits, `/` or `.` (e.g.
 * `ChatGPT Agent`, `AI2Bot`, `img2dataset`). RFC 9309 §2.2.1 allows only `[A-Za-z_-]` in a product token, and
 * Google's parser keeps only the leading run of those characters (`AI2Bot` → `AI`). heoga therefore:
 * - reads a `User-agent:` line naming such a crawler by its full name (case-insensitive) and by that leading run,
 *   and reports the ambiguity;
 * - never writes such a name into robots.txt (a truncated `User-agent: AI` would be read as a different crawler),
 *   relying on the other signals (Content-Usage, Content-Signal, TDMRep, RSL, metadata) to reach those crawlers.
 */
export interface AiCrawler {
  /** The name as the source lists it. */
  readonly name: string;
  /** True when `name` is a valid RFC 9309 product token, safe to write in robots.txt. */
  readonly tokenValid: boolean;
  /** The leading `[A-Za-z_-]` run, as Google's parser reads the name (equal to `name` when valid). */
  readonly token: string;
  readonly operator: string;
  readonly respectsRobotsTxt: 'yes' | 'no' | 'unclear';
  /** The source's own words for what it does. */
  readonly function: string;
  /** heoga's reading of `function` and the description: which of our uses the crawler serves (inferred). */
  readonly uses: readonly Use[];
}

/** One entry of ai.robots.txt's robots.json. */
export interface RobotsJsonEntry {
  readonly operator?: unknown;
  readonly respect?: unknown;
  readonly function?: unknown;
  readonly description?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function respectOf(value: string): AiCrawler['respectsRobotsTxt'] {
  const v = value.toLowerCase();
  if (/^\[?yes/.test(v)) return 'yes';
  if (/^\[?no\b/.test(v)) return 'no';
  return 'unclear';
}

/** Which of our uses a crawler's stated function points to: training, RAG/assistants/agents, AI search indexes. */
function usesOf(fn: string, description: string): Use[] {
  const t = `${fn} ${description}`.toLowerCase();
  const uses = new Set<Use>();
  if (/train|scrap|dataset|data provider|llm|language model|corpus/.test(t)) uses.add('ai-train');
  if (/assistant|agent|user-initiated|on behalf|answer|chat|rag|retriev|fetch/.test(t)) uses.add('ai-input');
  if (/search|index/.test(t)) uses.add('ai-index');
  if (uses.size === 0) uses.add('ai-train');
  return (['ai-train', 'ai-input', 'ai-index'] as const).filter((u) => uses.has(u));
}

/**
 * Turns ai.robots.txt's `robots.json` (name → entry) into heoga's list, sorted by name. Pure: the refresh script
 * does the reading and writing.
 *
 * @example
 * ```ts
 * aiCrawlersFromRobotsJson({ GPTBot: { operator: 'OpenAI', respect: 'Yes', function: 'Scrapes data to train…' } })
 * // [{ name: 'GPTBot', tokenValid: true, token: 'GPTBot', operator: 'OpenAI', respectsRobotsTxt: 'yes', … }]
 * ```
 */
export function aiCrawlersFromRobotsJson(json: unknown): AiCrawler[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return [];
  return Object.entries(json as Record<string, RobotsJsonEntry>)
    .filter(([name]) => name.trim().length > 0 && name.length <= 200)
    .map(([name, entry]) => {
      const leading = /^[A-Za-z_-]*/.exec(name)?.[0] ?? '';
      return {
        name,
        tokenValid: /^[A-Za-z_-]+$/.test(name),
        token: leading,
        operator: text(entry?.operator),
        respectsRobotsTxt: respectOf(text(entry?.respect)),
        function: text(entry?.function),
        uses: usesOf(text(entry?.function), text(entry?.description)),
      };
    })
    .sort((a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0,
    );
}
