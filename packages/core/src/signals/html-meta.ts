/**
 * A small, forgiving extractor for the `<meta>` and `<link>` elements of an HTML document's head: the places where
 * AI-use signals live in HTML (research/signals.md §1 technique 3, §4 discovery, §6). It is not an HTML parser: it
 * tokenises tags the way the WHATWG tokenizer does for the parts that matter here (comments, quoted and unquoted
 * attribute values, case-insensitive names, raw-text elements whose content is not markup) and stops at the end of
 * the head. Pure and total: any string in, never a throw.
 */

/** The most characters of a document that are scanned: signals live in the head, near the start. */
export const MAX_HTML_SCAN_LENGTH = 1024 * 1024;

/** One `<meta>` element's attributes (names lowercased; values with character references decoded). */
export interface HtmlMeta {
  readonly name?: string;
  readonly property?: string;
  readonly httpEquiv?: string;
  readonly content?: string;
}

/** One `<link>` element's attributes. */
export interface HtmlLink {
  /** Relation types, lowercased, split on whitespace. */
  readonly rel: readonly string[];
  readonly href?: string;
  /** The media type, lowercased, without parameters. */
  readonly type?: string;
}

/** The signal-bearing elements of a document's head. */
export interface HtmlHeadSignals {
  readonly metas: readonly HtmlMeta[];
  readonly links: readonly HtmlLink[];
  /** True when the scan stopped at {@link MAX_HTML_SCAN_LENGTH} before the head ended. */
  readonly truncated: boolean;
}

const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the character references that appear in attribute values (named basics, decimal and hex). */
export function decodeHtmlAttribute(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});?/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // WHATWG: 0, surrogates and out-of-range code points become U+FFFD.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED_REFERENCES[ref.toLowerCase()] ?? whole;
  });
}

/** Elements whose content is text, not markup: a `<meta>` inside a script is not a meta element. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'noscript', 'template', 'xmp', 'iframe']);
/** Elements that end the head: the body has started. */
const BODY_START = new Set(['body', 'main', 'article', 'section', 'div', 'p', 'h1', 'h2', 'img', 'table', 'form']);

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly attributes: ReadonlyMap<string, string>;
  readonly end: number;
}

/** Reads a tag starting at `start` (the `<`); `undefined` when it is not a tag (text `<`). */
function readTag(html: string, start: number): Tag | undefined {
  let i = start + 1;
  const closing = html[i] === '/';
  if (closing) i++;
  const nameMatch = /^[A-Za-z][A-Za-z0-9:-]*/.exec(html.slice(i, i + 64));
  if (!nameMatch) return undefined;
  const name = nameMatch[0].toLowerCase();
  i += nameMatch[0].length;
  const attributes = new Map<string, string>();
  for (;;) {
    while (i < html.length && (isSpace(html.charAt(i)) || html[i] === '/')) i++;
    if (i >= html.length) return { name, closing, attributes, end: html.length };
    if (html[i] === '>') return { name, closing, attributes, end: i + 1 };
    let attrName = '';
    // WHATWG: an attribute name runs to whitespace, `/`, `>` or `=` (a leading `=` is part of the name).
    do {
      attrName += html.charAt(i);
      i++;
    } while (i < html.length && !isSpace(html.charAt(i)) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=');
    while (i < html.length && isSpace(html.charAt(i))) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < html.length && isSpace(html.charAt(i))) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        const stop = close < 0 ? html.length : close;
        value = html.slice(i + 1, stop);
        i = close < 0 ? html.length : close + 1;
      } else {
        const from = i;
        while (i < html.length && !isSpace(html.charAt(i)) && html[i] !== '>') i++;
        value = html.slice(from, i);
      }
    }
    const key = attrName.toLowerCase();
    // WHATWG: a repeated attribute is dropped; the first one counts.
    if (!attributes.has(key)) attributes.set(key, decodeHtmlAttribute(value));
  }
}

/**
 * Extracts the `<meta>` and `<link>` elements of a document's head. Comments, doctype and processing instructions
 * are skipped; the content of raw-text elements (`script`, `style`, `template`, `noscript`…) is not read as markup;
 * the scan ends at `</head>`, at a `<body>` (or another element that only appears in a body) or after
 * {@link MAX_HTML_SCAN_LENGTH} characters. Attribute names are compared without regard to case, values are kept
 * as written after decoding character references (`&amp;`, `&#39;`…). Never throws.
 *
 * @example
 * ```ts
 * extractHtmlHead('<head><meta name="robots" content="noai, noimageai"></head>').metas
 * // [{ name: 'robots', content: 'noai, noimageai' }]
 * ```
 */
export function extractHtmlHead(html: string): HtmlHeadSignals {
  const text = typeof html === 'string' ? html : '';
  const limit = Math.min(text.length, MAX_HTML_SCAN_LENGTH);
  const metas: HtmlMeta[] = [];
  const links: HtmlLink[] = [];
  let i = 0;
  while (i < limit) {
    const lt = text.indexOf('<', i);
    if (lt < 0 || lt >= limit) return { metas, links, truncated: text.length > limit };
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      i = close < 0 ? text.length : close + 3;
      continue;
    }
    if (text[lt + 1] === '!' || text[lt + 1] === '?') {
      const close = text.indexOf('>', lt);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    const tag = readTag(text, lt);
    if (!tag) {
      i = lt + 1;
      continue;
    }
    i = tag.end;
    if (tag.closing) {
      if (tag.name === 'head') return { metas, links, truncated: false };
      continue;
    }
    if (BODY_START.has(tag.name)) return { metas, links, truncated: false };
    if (tag.name === 'meta') {
      const a = tag.attributes;
      const meta: { -readonly [K in keyof HtmlMeta]: HtmlMeta[K] } = {};
      const name = a.get('name');
      const property = a.get('property');
      const httpEquiv = a.get('http-equiv');
      const content = a.get('content');
      if (name !== undefined) meta.name = name;
      if (property !== undefined) meta.property = property;
      if (httpEquiv !== undefined) meta.httpEquiv = httpEquiv;
      if (content !== undefined) meta.content = content;
      metas.push(meta);
    } else if (tag.name === 'link') {
      const a = tag.attributes;
      const rel = (a.get('rel') ?? '')
        .toLowerCase()
        .split(/[\t\n\f\r ]+/)
        .filter((r) => r !== '');
      const href = a.get('href');
      const type = a.get('type')?.split(';')[0]?.trim().toLowerCase();
      links.push({ rel, ...(href !== undefined ? { href: href.trim() } : {}), ...(type ? { type } : {}) });
    } else if (RAW_TEXT.has(tag.name)) {
      // Skip to the matching end tag: its content is text.
      const end = new RegExp(`</${tag.name}`, 'ig');
      end.lastIndex = i;
      const close = end.exec(text);
      i = close ? close.index : text.length;
    }
  }
  return { metas, links, truncated: text.length > limit };
}
