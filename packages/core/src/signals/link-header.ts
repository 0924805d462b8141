import type { InputIssue } from '../errors.js';

/** The most characters of a `Link` field (all lines combined) that heoga reads: 16 KiB. */
export const MAX_LINK_HEADER_LENGTH = 16 * 1024;

/** One link from a `Link` header (RFC 8288 §3). */
export interface LinkValue {
  /** The target URI reference as written between `<` and `>`. */
  readonly target: string;
  /** The relation types of the first `rel` parameter, lowercased (RFC 8288 §2.1.1: compared case-insensitively). */
  readonly rel: readonly string[];
  /** The first `type` parameter, lowercased, without media-type parameters; absent when not given. */
  readonly type?: string;
  /** The first `anchor` parameter: the link's context when it is not the response's resource. */
  readonly anchor?: string;
  /** Every parameter, names lowercased, values unquoted; a name's first occurrence only (RFC 8288 Appendix B.3). */
  readonly params: Readonly<Record<string, string>>;
}

/** The reading of a `Link` header: the links that parsed, and notes on what was skipped. */
export interface LinkHeaderReading {
  readonly links: readonly LinkValue[];
  readonly issues: readonly InputIssue[];
}

const RSL_MEDIA_TYPE = 'application/rsl+xml';

class LinkScanner {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text.charAt(this.pos);
  }
  skipWs(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  /** Skips to just after the next top-level comma (outside `<…>` and quotes). */
  skipToNextLink(): void {
    let quoted = false;
    let angle = false;
    while (!this.done) {
      const c = this.text.charAt(this.pos++);
      if (quoted) {
        if (c === '\\') this.pos++;
        else if (c === '"') quoted = false;
      } else if (angle) {
        if (c === '>') angle = false;
      } else if (c === '"') quoted = true;
      else if (c === '<') angle = true;
      else if (c === ',') return;
    }
  }
  quoted(): string | undefined {
    this.pos++; // DQUOTE
    let out = '';
    while (!this.done) {
      const c = this.text.charAt(this.pos++);
      if (c === '\\') {
        if (this.done) return undefined;
        out += this.text.charAt(this.pos++);
      } else if (c === '"') return out;
      else out += c;
    }
    return undefined;
  }
  until(stops: string): string {
    const start = this.pos;
    while (!this.done && !stops.includes(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

/**
 * Parses a `Link` header (RFC 8288 §3, leniently as its Appendix B does): `<uri>; rel="license";
 * type="application/rsl+xml"`, several links separated by commas, parameter values as tokens or quoted strings,
 * `rel` with several space-separated types. Pass several field lines as an array; they are read in order. A link
 * that does not start with `<uri>` is skipped with an issue; the header never throws. A field longer than
 * {@link MAX_LINK_HEADER_LENGTH} is not read.
 *
 * @example
 * ```ts
 * parseLinkHeader('<https://example.com/license.xml>; rel="license"; type="application/rsl+xml"').links[0]
 * // { target: 'https://example.com/license.xml', rel: ['license'], type: 'application/rsl+xml', params: { … } }
 * ```
 */
export function parseLinkHeader(value: string | readonly string[]): LinkHeaderReading {
  const text = typeof value === 'string' ? value : value.join(', ');
  if (text.length > MAX_LINK_HEADER_LENGTH) {
    return {
      links: [],
      issues: [
        { path: 'Link', message: `field is ${text.length} characters; heoga reads at most ${MAX_LINK_HEADER_LENGTH}` },
      ],
    };
  }
  const s = new LinkScanner(text);
  const links: LinkValue[] = [];
  const issues: InputIssue[] = [];
  while (!s.done) {
    s.skipWs();
    if (s.peek() === ',') {
      s.pos++;
      continue;
    }
    if (s.done) break;
    const start = s.pos;
    if (s.peek() !== '<') {
      issues.push({ path: `Link[${start}]`, message: 'a link must start with "<"' });
      s.skipToNextLink();
      continue;
    }
    s.pos++;
    const end = text.indexOf('>', s.pos);
    if (end < 0) {
      issues.push({ path: `Link[${start}]`, message: 'unterminated "<"' });
      break;
    }
    const target = text.slice(s.pos, end).trim();
    s.pos = end + 1;
    const seen = new Map<string, string>();
    let broken = false;
    for (;;) {
      s.skipWs();
      if (s.done) break;
      const c = s.peek();
      if (c === ',') {
        s.pos++;
        break;
      }
      if (c !== ';') {
        broken = true;
        break;
      }
      s.pos++;
      s.skipWs();
      const name = s.until('=;, \t').toLowerCase();
      s.skipWs();
      let paramValue = '';
      if (s.peek() === '=') {
        s.pos++;
        s.skipWs();
        if (s.peek() === '"') {
          const q = s.quoted();
          if (q === undefined) {
            broken = true;
            break;
          }
          paramValue = q;
        } else paramValue = s.until(';,').trim();
      }
      if (name !== '' && !seen.has(name)) seen.set(name, paramValue);
    }
    if (broken) {
      issues.push({ path: `Link[${start}]`, message: 'malformed link parameters' });
      s.skipToNextLink();
      continue;
    }
    // Object.fromEntries defines own properties, so a parameter named `__proto__` stays a plain key.
    const params: Readonly<Record<string, string>> = Object.fromEntries(seen);
    const rel = (seen.get('rel') ?? '')
      .toLowerCase()
      .split(/[ \t]+/)
      .filter((r) => r !== '');
    const type = seen.get('type')?.split(';')[0]?.trim().toLowerCase();
    links.push({
      target,
      rel,
      ...(type ? { type } : {}),
      ...(seen.has('anchor') ? { anchor: seen.get('anchor')! } : {}),
      params,
    });
  }
  return { links, issues };
}

interface UrlLike {
  readonly href: string;
  readonly protocol: string;
}
type UrlConstructor = new (url: string, base?: string) => UrlLike;

/** The platform's WHATWG `URL` (browsers, Node, Deno, workers), found at run time so core keeps no DOM types. */
function platformUrl(): UrlConstructor | undefined {
  const ctor = (globalThis as { URL?: unknown }).URL;
  return typeof ctor === 'function' ? (ctor as UrlConstructor) : undefined;
}

/** Resolves `target` against `base` to an absolute http(s) URL, or `undefined`. */
function absoluteHttpUrl(target: string, base: string | undefined): string | undefined {
  const URL = platformUrl();
  if (!URL) return /^https?:\/\/[^\s]+$/i.test(target) ? target : undefined;
  try {
    const url = base === undefined ? new URL(target) : new URL(target, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The absolute URLs of the RSL licences a response links to (research/signals.md §4): links with relation
 * `license` whose `type` is `application/rsl+xml` or absent. RSL requires absolute targets; a relative one is
 * resolved against `baseUrl` when given and dropped otherwise, as is anything that is not http(s). Links with an
 * `anchor` are about another resource and are skipped. Repeats are removed; order is kept.
 *
 * @example
 * ```ts
 * findRslLicenseLinks(parseLinkHeader('<https://example.com/l.xml>; rel="license"; type="application/rsl+xml"').links)
 * // ['https://example.com/l.xml']
 * ```
 */
export function findRslLicenseLinks(links: readonly LinkValue[], baseUrl?: string): readonly string[] {
  const out: string[] = [];
  for (const link of links) {
    if (!link.rel.includes('license')) continue;
    if (link.type !== undefined && link.type !== RSL_MEDIA_TYPE) continue;
    if (link.anchor !== undefined) continue;
    const url = absoluteHttpUrl(link.target, baseUrl);
    if (url !== undefined && !out.includes(url)) out.push(url);
  }
  return out;
}
