import type { InputIssue } from '../errors.js';

/** The most characters of an ai.txt file heoga reads: 500 KiB, robots.txt's limit (RFC 9309 §2.5). */
export const MAX_AI_TXT_LENGTH = 500 * 1024;

/** One `Allow` or `Disallow` line. */
export interface AiTxtRule {
  readonly kind: 'allow' | 'disallow';
  /** The pattern as written: a path (`/`), or a wildcard pattern (`*`, `*.jpg`, `/images/*.png$`). */
  readonly pattern: string;
}

/** A group: the user agents it names (lowercased) and its rules, in file order. */
export interface AiTxtGroup {
  readonly userAgents: readonly string[];
  readonly rules: readonly AiTxtRule[];
}

/** A parsed Spawning ai.txt file. */
export interface AiTxtFile {
  readonly groups: readonly AiTxtGroup[];
  readonly issues: readonly InputIssue[];
}

/** The answer of {@link evaluateAiTxt} for one media path. */
export interface AiTxtVerdict {
  readonly allowed: boolean;
  /** The rule that decided; absent when no rule matched (allowed by default). */
  readonly rule?: AiTxtRule;
  /** The user agents of the groups that applied; empty when no group applied. */
  readonly userAgents: readonly string[];
}

/**
 * Parses a Spawning ai.txt file (research/signals.md §6): robots.txt grammar (RFC 9309 §2.2) applied to media
 * paths. Lines are `key: value`, `#` starts a comment, keys are case-insensitive; consecutive `User-Agent` lines
 * start a group and `Allow`/`Disallow` lines belong to the open group; other keys are ignored; rules before any
 * `User-Agent` line, and empty `Allow:`/`Disallow:` values, are ignored as in robots.txt. Text beyond
 * {@link MAX_AI_TXT_LENGTH} characters is not read. Never throws.
 *
 * @example
 * ```ts
 * parseAiTxt('User-Agent: *\nDisallow: *.jpg\n').groups // [{ userAgents: ['*'], rules: [{ kind: 'disallow', pattern: '*.jpg' }] }]
 * ```
 */
export function parseAiTxt(text: string): AiTxtFile {
  const issues: InputIssue[] = [];
  let body = text;
  if (body.length > MAX_AI_TXT_LENGTH) {
    issues.push({ path: 'ai.txt', message: `longer than ${MAX_AI_TXT_LENGTH} characters; the rest is ignored` });
    body = body.slice(0, MAX_AI_TXT_LENGTH);
  }
  if (body.startsWith('\ufeff')) body = body.slice(1);
  const groups: { userAgents: string[]; rules: AiTxtRule[] }[] = [];
  let current: { userAgents: string[]; rules: AiTxtRule[] } | undefined;
  let lastWasAgent = false;
  body.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const hash = raw.indexOf('#');
    const line = (hash < 0 ? raw : raw.slice(0, hash)).trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    if (colon < 0) {
      issues.push({ path: `ai.txt:${index + 1}`, message: 'no ":" on the line' });
      return;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!lastWasAgent || !current) {
        current = { userAgents: [], rules: [] };
        groups.push(current);
      }
      current.userAgents.push(value.toLowerCase());
      lastWasAgent = true;
      return;
    }
    lastWasAgent = false;
    if (key !== 'allow' && key !== 'disallow') return;
    if (!current) {
      issues.push({ path: `ai.txt:${index + 1}`, message: `"${key}" before any User-Agent line is ignored` });
      return;
    }
    if (value !== '') current.rules.push({ kind: key, pattern: value });
  });
  return { groups, issues };
}

/** RFC 9309 §2.2.2 matching: `*` is any sequence, a final `$` anchors the end; otherwise a prefix match. */
function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  let body = anchored ? pattern.slice(0, -1) : pattern;
  // A pattern that starts with neither "/" nor "*" (some files write ".jpg") matches anywhere in the path.
  if (!body.startsWith('/') && !body.startsWith('*')) body = `*${body}`;
  const parts = body.split('*');
  const first = parts[0] ?? '';
  if (!path.startsWith(first)) return false;
  let pos = first.length;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && anchored) {
      return path.length - part.length >= pos && path.endsWith(part);
    }
    const found = path.indexOf(part, pos);
    if (found < 0) return false;
    pos = found + part.length;
  }
  return !anchored || pos === path.length;
}

/** The path part of a URL or path, with a leading `/`, the query kept, the fragment dropped. */
function mediaPath(path: string): string {
  let p = path.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(p);
  if (scheme) p = p.slice(scheme[0].length);
  const hash = p.indexOf('#');
  if (hash >= 0) p = p.slice(0, hash);
  return p.startsWith('/') ? p : `/${p}`;
}

/**
 * Whether `file` lets `userAgent` use the media at `path` (a path or a full URL), with robots.txt's rules
 * (RFC 9309 §2.2): the groups naming the user agent (its product token, compared without regard to case) apply,
 * else the `*` groups; among their rules the longest matching pattern wins, `Allow` winning a tie; no matching rule
 * means allowed. Patterns and paths are compared without regard to case, so `Disallow: *.jpg` also refuses
 * `/PHOTO.JPG`: servers often treat extensions so, and a refusal is read broadly.
 *
 * @example
 * ```ts
 * const file = parseAiTxt('User-Agent: *\nDisallow: *.jpg\n');
 * evaluateAiTxt(file, { userAgent: 'img2dataset', path: '/cats/tom.jpg' }).allowed // false
 * evaluateAiTxt(file, { userAgent: 'img2dataset', path: '/cats/tom.txt' }).allowed // true
 * ```
 */
export function evaluateAiTxt(
  file: AiTxtFile,
  request: { readonly userAgent: string; readonly path: string },
): AiTxtVerdict {
  const agent = request.userAgent.trim().toLowerCase();
  let groups = file.groups.filter((g) => agent !== '' && g.userAgents.includes(agent));
  if (groups.length === 0) groups = file.groups.filter((g) => g.userAgents.includes('*'));
  const userAgents = [...new Set(groups.flatMap((g) => g.userAgents))];
  const path = mediaPath(request.path).toLowerCase();
  let best: AiTxtRule | undefined;
  for (const rule of groups.flatMap((g) => g.rules)) {
    if (!matches(rule.pattern.toLowerCase(), path)) continue;
    if (
      !best ||
      rule.pattern.length > best.pattern.length ||
      (rule.pattern.length === best.pattern.length && rule.kind === 'allow')
    ) {
      best = rule;
    }
  }
  return best ? { allowed: best.kind === 'allow', rule: best, userAgents } : { allowed: true, userAgents };
}

/** The media types Spawning's ai.txt generator offers. */
export const AI_TXT_MEDIA_TYPES = ['text', 'images', 'audio', 'video', 'code'] as const;

/** A media type of Spawning's ai.txt generator. */
export type AiTxtMediaType = (typeof AI_TXT_MEDIA_TYPES)[number];

/**
 * The file extensions heoga writes for each media type (our lists, in the spirit of Spawning's generator). A
 * `*.ext` pattern matches by prefix as in robots.txt (`*.avi` also matches `.avif`), so {@link writeAiTxt} anchors
 * (`*.avi$`) an extension that begins another type's extension; one-letter extensions are left out.
 */
export const AI_TXT_EXTENSIONS: { readonly [T in AiTxtMediaType]: readonly string[] } = {
  text: ['txt', 'pdf', 'doc', 'docx', 'odt', 'rtf', 'epub', 'md', 'tex', 'csv', 'xml'],
  images: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'svg', 'heic', 'avif', 'psd', 'raw'],
  audio: ['mp3', 'wav', 'flac', 'ogg', 'm4a', 'aac', 'aif', 'aiff', 'opus', 'wma', 'mid', 'midi'],
  video: ['mp4', 'mov', 'avi', 'mkv', 'webm', 'm4v', 'wmv', 'flv', 'mpg', 'mpeg', '3gp'],
  code: ['py', 'js', 'ts', 'java', 'cpp', 'go', 'rs', 'rb', 'php', 'swift', 'kt', 'sh', 'ipynb'],
};

/** What {@link writeAiTxt} should refuse. */
export interface AiTxtOptions {
  /** The media types to refuse; `'all'` writes Spawning's blanket form (`Disallow: /` and `Disallow: *`). */
  readonly refuse: readonly AiTxtMediaType[] | 'all';
}

/**
 * Writes a Spawning-style ai.txt: the comment header, `User-Agent: *`, and a `Disallow: *.ext` line per extension of
 * each refused media type (research/signals.md §6). With nothing refused it writes `Allow: /`.
 *
 * @example
 * ```ts
 * writeAiTxt({ refuse: ['images'] })
 * // '# Spawning AI\n# Prevent datasets from using the following file types\n\nUser-Agent: *\nDisallow: *.jpg\n…'
 * ```
 */
export function writeAiTxt(options: AiTxtOptions): string {
  const lines = ['# Spawning AI', '# Prevent datasets from using the following file types', '', 'User-Agent: *'];
  if (options.refuse === 'all') lines.push('Disallow: /', 'Disallow: *');
  else {
    const refused = AI_TXT_MEDIA_TYPES.filter((t) => (options.refuse as readonly string[]).includes(t));
    if (refused.length === 0) lines.push('Allow: /');
    for (const type of refused) {
      const others = AI_TXT_MEDIA_TYPES.filter((t) => t !== type).flatMap((t) => AI_TXT_EXTENSIONS[t]);
      for (const ext of AI_TXT_EXTENSIONS[type]) {
        lines.push(`Disallow: *.${ext}${others.some((o) => o.startsWith(ext)) ? '$' : ''}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
