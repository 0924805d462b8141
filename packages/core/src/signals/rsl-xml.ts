import type { InputIssue } from '../errors.js';

/**
 * A small, namespace-aware XML reader for RSL documents (research/signals.md §4). XXE-safe by construction: a
 * `<!DOCTYPE>` is refused, and the only entities are the five predefined ones and numeric character references.
 * It reads elements, attributes, text and CDATA; comments and processing instructions are skipped.
 */

/** An XML element with its namespace resolved. */
export interface XmlElement {
  /** The local name, without prefix. */
  readonly name: string;
  /** The prefix as written, or `''`. */
  readonly prefix: string;
  /** The namespace URI, or `''` when none is in scope. */
  readonly namespace: string;
  /** Unprefixed attributes by name (namespace declarations and prefixed attributes are left out). */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The concatenated character data directly inside the element. */
  readonly text: string;
  /** The 1-based line where the element starts, for issues. */
  readonly line: number;
}

/** The outcome of reading XML. */
export type XmlParseResult =
  { readonly ok: true; readonly root: XmlElement } | { readonly ok: false; readonly issues: readonly InputIssue[] };

/** The deepest nesting and the most elements the reader accepts. */
export const MAX_XML_DEPTH = 64;
export const MAX_XML_ELEMENTS = 100_000;

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const PREDEFINED: { readonly [name: string]: string } = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

interface Building {
  readonly name: string;
  readonly prefix: string;
  readonly namespace: string;
  readonly attributes: Map<string, string>;
  readonly children: XmlElement[];
  readonly qname: string;
  /** The namespace declarations made on this element only; lookups walk up the open elements (depth ≤ 64). */
  readonly declared: ReadonlyMap<string, string>;
  readonly line: number;
  text: string;
}

function decodeEntities(raw: string, at: number): string {
  return raw.replace(/&([^;&\s]{0,32});|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new XmlSyntaxError('a bare & must be written &amp;', at);
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2] ?? '', 10);
      const allowed =
        code === 0x9 ||
        code === 0xa ||
        code === 0xd ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff);
      if (!allowed) throw new XmlSyntaxError(`character reference ${whole} is not an XML character`, at);
      return String.fromCodePoint(code);
    }
    throw new XmlSyntaxError(`unknown entity ${whole.slice(0, 40)} (only the five predefined ones are read)`, at);
  });
}

/**
 * Reads an XML document into a tree. Never throws: malformed XML, a DTD, an unknown entity, an undeclared prefix,
 * too deep a nesting or too many elements give issues.
 *
 * @example
 * ```ts
 * parseXml('<rsl xmlns="https://rslstandard.org/rsl"/>') // { ok: true, root: { name: 'rsl', namespace: 'https://rslstandard.org/rsl', … } }
 * ```
 */
export function parseXml(text: string): XmlParseResult {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  const lineOf = (at: number): number => {
    // Binary search: the number of newlines before `at`, plus one.
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] ?? 0) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  try {
    return { ok: true, root: read(text, lineOf) };
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      return { ok: false, issues: [{ path: `line ${lineOf(error.at)}`, message: error.message }] };
    }
    // A stack overflow or any other surprise is still a refusal, never a throw.
    return { ok: false, issues: [{ path: '', message: 'the XML could not be read' }] };
  }
}

function read(text: string, lineOf: (at: number) => number): XmlElement {
  const stack: Building[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = text.startsWith('\uFEFF') ? 1 : 0;

  const appendText = (raw: string, at: number, decode: boolean): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (raw.trim() !== '') throw new XmlSyntaxError('text outside the root element', at);
      return;
    }
    top.text += decode ? decodeEntities(raw, at) : raw;
  };

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      appendText(text.slice(i), i, true);
      break;
    }
    if (lt > i) appendText(text.slice(i, lt), i, true);
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) throw new XmlSyntaxError('unterminated comment', i);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) throw new XmlSyntaxError('unterminated CDATA section', i);
      appendText(text.slice(i + 9, end), i, false);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      const what = /^<!DOCTYPE/i.test(text.slice(i, i + 9)) ? 'a DOCTYPE (DTDs are refused)' : 'a markup declaration';
      throw new XmlSyntaxError(`the document contains ${what}`, i);
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) throw new XmlSyntaxError('unterminated processing instruction', i);
      i = end + 2;
    } else if (text.startsWith('</', i)) {
      const match = NAME.exec(text.slice(i + 2, i + 2 + 256));
      const top = stack.pop();
      if (!match || !top || match[0] !== top.qname) {
        throw new XmlSyntaxError(`unexpected end tag${top ? ` (expected </${top.qname}>)` : ''}`, i);
      }
      let j = i + 2 + match[0].length;
      while (j < text.length && /\s/.test(text.charAt(j))) j++;
      if (text.charAt(j) !== '>') throw new XmlSyntaxError('malformed end tag', i);
      i = j + 1;
      finish(top);
    } else {
      i = openTag(i);
    }
  }
  if (stack.length > 0)
    throw new XmlSyntaxError(`unclosed element <${stack[stack.length - 1]?.qname ?? ''}>`, text.length);
  if (!root) throw new XmlSyntaxError('no root element', 0);
  return root;

  function finish(element: Building): void {
    const done: XmlElement = {
      name: element.name,
      prefix: element.prefix,
      namespace: element.namespace,
      attributes: element.attributes,
      children: element.children,
      text: element.text,
      line: element.line,
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(done);
    else root = done;
  }

  function openTag(start: number): number {
    if (root && stack.length === 0) throw new XmlSyntaxError('content after the root element', start);
    if (++count > MAX_XML_ELEMENTS) throw new XmlSyntaxError(`more than ${MAX_XML_ELEMENTS} elements`, start);
    if (stack.length >= MAX_XML_DEPTH) throw new XmlSyntaxError(`nesting deeper than ${MAX_XML_DEPTH}`, start);
    const match = NAME.exec(text.slice(start + 1, start + 1 + 256));
    if (!match) throw new XmlSyntaxError('malformed start tag', start);
    const qname = match[0];
    let j = start + 1 + qname.length;
    const raw: [string, string][] = [];
    const seen = new Set<string>();
    for (;;) {
      const before = j;
      while (j < text.length && /\s/.test(text.charAt(j))) j++;
      if (text.startsWith('/>', j) || text.charAt(j) === '>') break;
      if (j === before) throw new XmlSyntaxError('attributes must be separated by white space', j);
      const attr = NAME.exec(text.slice(j, j + 256));
      if (!attr) throw new XmlSyntaxError('malformed attribute', j);
      j += attr[0].length;
      while (/\s/.test(text.charAt(j))) j++;
      if (text.charAt(j) !== '=') throw new XmlSyntaxError('attribute without a value', j);
      j++;
      while (/\s/.test(text.charAt(j))) j++;
      const quote = text.charAt(j);
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('attribute value must be quoted', j);
      const end = text.indexOf(quote, j + 1);
      if (end < 0) throw new XmlSyntaxError('unterminated attribute value', j);
      const value = text.slice(j + 1, end);
      if (value.includes('<')) throw new XmlSyntaxError('< in an attribute value', j);
      if (seen.has(attr[0])) throw new XmlSyntaxError(`duplicate attribute ${attr[0]}`, j);
      seen.add(attr[0]);
      raw.push([attr[0], decodeEntities(value, j).replace(/[\t\n\r]/g, ' ')]);
      j = end + 1;
    }
    const selfClosing = text.startsWith('/>', j);
    const next = j + (selfClosing ? 2 : 1);
    const declared = new Map<string, string>();
    for (const [name, value] of raw) {
      if (name === 'xmlns') declared.set('', value);
      else if (name.startsWith('xmlns:')) declared.set(name.slice(6), value);
    }
    const lookup = (prefix: string): string | undefined => {
      const own = declared.get(prefix);
      if (own !== undefined) return own;
      for (let k = stack.length - 1; k >= 0; k--) {
        const found = stack[k]?.declared.get(prefix);
        if (found !== undefined) return found;
      }
      return prefix === 'xml' ? XML_NAMESPACE : undefined;
    };
    const attributes = new Map<string, string>();
    for (const [name, value] of raw) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const colon = name.indexOf(':');
      if (colon < 0) attributes.set(name, value);
      else if (lookup(name.slice(0, colon)) === undefined) {
        throw new XmlSyntaxError(`undeclared prefix in attribute ${name}`, start);
      }
    }
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const namespace = lookup(prefix);
    if (prefix !== '' && namespace === undefined) throw new XmlSyntaxError(`undeclared prefix ${prefix}`, start);
    const element: Building = {
      name: colon < 0 ? qname : qname.slice(colon + 1),
      prefix,
      namespace: namespace ?? '',
      attributes,
      children: [],
      qname,
      declared,
      line: lineOf(start),
      text: '',
    };
    if (selfClosing) finish(element);
    else stack.push(element);
    return next;
  }
}

const ESCAPES: { readonly [char: string]: string } = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** True for the UTF-16 code units XML 1.0 §2.2 cannot hold, even escaped (lone surrogates are checked apart). */
const isForbiddenUnit = (code: number): boolean =>
  (code < 0x20 && code !== 0x9 && code !== 0xa && code !== 0xd) || code === 0xfffe || code === 0xffff;

/**
 * Escapes text for element content or an attribute value; white space other than the space is written as a
 * character reference so that attribute-value normalisation gives it back. Characters XML cannot hold (C0 controls,
 * lone surrogates, U+FFFE/U+FFFF) are dropped.
 */
export function escapeXml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text.charAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) out += char + text.charAt(++i);
    } else if (!(code >= 0xdc00 && code <= 0xdfff) && !isForbiddenUnit(code)) {
      out += ESCAPES[char] ?? char;
    }
  }
  return out;
}
