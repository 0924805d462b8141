import { writeProtocolWords, type PolicyByUse } from '../../policy/protocol-vocabulary.js';
import { isRobotsProductToken } from '../robots-txt.js';
import { utf8Bytes } from './path-pattern.js';

/** Options for `writeRobotsTxt`. */
export interface RobotsTxtWriteOptions {
  /** An absolute URL of an RSL licence document, written as a global `License:` line (RSL 1.0 discovery). */
  readonly licenseUrl?: string;
  /**
   * Product tokens of AI crawlers to refuse entirely (`Disallow: /`) when `ai-train` is refused or licensed for a
   * price. Values that are not valid RFC 9309 tokens (`ChatGPT Agent`, `AI2Bot`) are left out, because parsers read
   * them differently; duplicates (ignoring case) are written once.
   */
  readonly aiCrawlers?: readonly string[];
  /** An absolute URL of a sitemap. */
  readonly sitemap?: string;
}

/** Keeps a URL on one line: percent-encodes whitespace, controls, non-ASCII and `#` (which would start a comment). */
function oneLineUrl(url: string): string {
  return url.trim().replace(/[^\x21-\x22\x24-\x7e]/gu, (ch) =>
    utf8Bytes(ch.codePointAt(0) ?? 0xfffd)
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

/**
 * Writes a robots.txt for one creator's or site's choice (research/signals.md §2–§5): a `User-agent: *` group with
 * `Content-Signal:` and `Content-Usage:` lines and `Allow: /`, then, when `ai-train` is refused or priced, a group
 * that refuses the named AI crawlers with `Disallow: /`. A specific group replaces `*` entirely (RFC 9309 §2.2.1),
 * so that group repeats the preference lines. The licence URL is written once, before the groups, where RSL makes it
 * apply to every group. Words follow `writeProtocolWords`: conservative, a refusal when any use behind a word is
 * refused or priced.
 *
 * @example
 * ```ts
 * writeRobotsTxt(
 *   { 'ai-train': 'deny', 'ai-train-genai': 'deny', 'ai-input': 'deny', 'ai-index': 'deny', search: 'allow' },
 *   { aiCrawlers: ['GPTBot', 'CCBot'] },
 * );
 * // User-agent: *
 * // Content-Signal: ai-train=no, ai-input=no, search=yes
 * // Content-Usage: train-ai=n, search=y
 * // Allow: /
 * //
 * // User-agent: GPTBot
 * // User-agent: CCBot
 * // Content-Signal: ai-train=no, ai-input=no, search=yes
 * // Content-Usage: train-ai=n, search=y
 * // Disallow: /
 * ```
 */
export function writeRobotsTxt(policy: PolicyByUse, options: RobotsTxtWriteOptions = {}): string {
  const preferenceLines: string[] = [];
  const signals = writeProtocolWords('content-signals', policy);
  if (signals.length > 0) {
    preferenceLines.push(`Content-Signal: ${signals.map((w) => `${w.word}=${w.spelled}`).join(', ')}`);
  }
  const usage = writeProtocolWords('aipref', policy);
  if (usage.length > 0) preferenceLines.push(`Content-Usage: ${usage.map((w) => `${w.word}=${w.spelled}`).join(', ')}`);

  const out: string[] = [];
  if (options.licenseUrl !== undefined) out.push(`License: ${oneLineUrl(options.licenseUrl)}`, '');
  out.push('User-agent: *', ...preferenceLines, 'Allow: /');

  const trainingRestricted = policy['ai-train'] === 'deny' || policy['ai-train'] === 'license';
  const seen = new Set<string>();
  const crawlers = (options.aiCrawlers ?? []).filter((token) => {
    const key = token.toLowerCase();
    if (!isRobotsProductToken(token) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (trainingRestricted && crawlers.length > 0) {
    out.push('', ...crawlers.map((token) => `User-agent: ${token}`), ...preferenceLines, 'Disallow: /');
  }
  if (options.sitemap !== undefined) out.push('', `Sitemap: ${oneLineUrl(options.sitemap)}`);
  return `${out.join('\n')}\n`;
}
