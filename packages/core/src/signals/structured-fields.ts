/**
 * A strict RFC 9651 Structured Field **Dictionary** parser and serializer, for the AIPREF `Content-Usage` header and
 * robots.txt `Content-Usage` lines (research/signals.md §2). It follows RFC 9651 §4.2 step by step: any deviation is
 * a parse failure, never a best guess, because AIPREF turns a parse failure into "every category unknown".
 */

/** A bare item (RFC 9651 §3.3). Dates are seconds since the epoch; byte sequences are decoded. */
export type SfBareItem =
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'decimal'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'token'; readonly value: string }
  | { readonly kind: 'byte-sequence'; readonly value: Uint8Array }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'date'; readonly value: number }
  | { readonly kind: 'display-string'; readonly value: string };

/** Parameters of an item or inner list, in order (RFC 9651 §3.1.2); a repeated key keeps its first position. */
export type SfParameters = ReadonlyMap<string, SfBareItem>;

/** An item with its parameters (RFC 9651 §3.3). */
export interface SfItem {
  readonly value: SfBareItem;
  readonly params: SfParameters;
}

/** A dictionary member: an item or an inner list (RFC 9651 §3.1.1), each with parameters. */
export type SfMember =
  | { readonly kind: 'item'; readonly value: SfBareItem; readonly params: SfParameters }
  | { readonly kind: 'inner-list'; readonly items: readonly SfItem[]; readonly params: SfParameters };

/** A parsed Dictionary: members in order; a duplicate key overwrites the value and keeps the first position. */
export type SfDictionary = ReadonlyMap<string, SfMember>;

/** The outcome of {@link parseSfDictionary}: the dictionary, or where and why parsing failed. */
export type SfDictionaryResult =
  | { readonly ok: true; readonly value: SfDictionary }
  | { readonly ok: false; readonly at: number; readonly reason: string };

class SfFailure extends Error {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isLcAlpha = (c: string): boolean => c >= 'a' && c <= 'z';
const isAlpha = (c: string): boolean => isLcAlpha(c) || (c >= 'A' && c <= 'Z');
const TCHAR_EXTRA = "!#$%&'*+-.^_`|~";
const isTchar = (c: string): boolean => isAlpha(c) || isDigit(c) || TCHAR_EXTRA.includes(c);
const isKeyChar = (c: string): boolean => isLcAlpha(c) || isDigit(c) || '_-.*'.includes(c);
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

class SfParser {
  private pos = 0;

  constructor(private readonly input: string) {}

  fail(reason: string): never {
    throw new SfFailure(this.pos, reason);
  }

  get done(): boolean {
    return this.pos >= this.input.length;
  }

  peek(): string {
    return this.input.charAt(this.pos);
  }

  next(): string {
    return this.input.charAt(this.pos++);
  }

  skipSp(): void {
    while (this.peek() === ' ') this.pos++;
  }

  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  // RFC 9651 §4.2.2
  dictionary(): Map<string, SfMember> {
    const dict = new Map<string, SfMember>();
    while (!this.done) {
      const key = this.key();
      let member: SfMember;
      if (this.peek() === '=') {
        this.pos++;
        member = this.itemOrInnerList();
      } else {
        member = { kind: 'item', value: { kind: 'boolean', value: true }, params: this.parameters() };
      }
      dict.set(key, member);
      this.skipOws();
      if (this.done) return dict;
      if (this.next() !== ',') this.fail('expected "," between dictionary members');
      this.skipOws();
      if (this.done) this.fail('trailing comma');
    }
    return dict;
  }

  // RFC 9651 §4.2.1.1
  itemOrInnerList(): SfMember {
    if (this.peek() === '(') {
      const { items, params } = this.innerList();
      return { kind: 'inner-list', items, params };
    }
    const value = this.bareItem();
    return { kind: 'item', value, params: this.parameters() };
  }

  // RFC 9651 §4.2.1.2
  innerList(): { items: SfItem[]; params: SfParameters } {
    this.pos++; // "("
    const items: SfItem[] = [];
    while (!this.done) {
      this.skipSp();
      if (this.peek() === ')') {
        this.pos++;
        return { items, params: this.parameters() };
      }
      const value = this.bareItem();
      items.push({ value, params: this.parameters() });
      const c = this.peek();
      if (c !== ' ' && c !== ')') this.fail('expected SP or ")" in inner list');
    }
    return this.fail('unterminated inner list');
  }

  // RFC 9651 §4.2.3.2
  parameters(): Map<string, SfBareItem> {
    const params = new Map<string, SfBareItem>();
    while (this.peek() === ';') {
      this.pos++;
      this.skipSp();
      const key = this.key();
      let value: SfBareItem = { kind: 'boolean', value: true };
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  // RFC 9651 §4.2.3.3
  key(): string {
    const first = this.peek();
    if (!isLcAlpha(first) && first !== '*') this.fail('a key must start with a-z or "*"');
    const start = this.pos;
    while (!this.done && isKeyChar(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }

  // RFC 9651 §4.2.3.1
  bareItem(): SfBareItem {
    const c = this.peek();
    if (c === '-' || isDigit(c)) return this.number();
    if (c === '"') return { kind: 'string', value: this.string() };
    if (c === '*' || isAlpha(c)) return { kind: 'token', value: this.token() };
    if (c === ':') return { kind: 'byte-sequence', value: this.byteSequence() };
    if (c === '?') return { kind: 'boolean', value: this.boolean() };
    if (c === '@') return this.date();
    if (c === '%') return { kind: 'display-string', value: this.displayString() };
    return this.fail('expected an item');
  }

  // RFC 9651 §4.2.4
  number(): SfBareItem {
    let sign = 1;
    if (this.peek() === '-') {
      this.pos++;
      sign = -1;
    }
    if (!isDigit(this.peek())) this.fail('expected a digit');
    let digits = '';
    let decimal = false;
    while (!this.done) {
      const c = this.peek();
      if (isDigit(c)) digits += c;
      else if (!decimal && c === '.') {
        if (digits.length > 12) this.fail('too many integer digits in a decimal');
        digits += c;
        decimal = true;
      } else break;
      this.pos++;
      if (!decimal && digits.length > 15) this.fail('integer too long');
      if (decimal && digits.length > 16) this.fail('decimal too long');
    }
    if (!decimal) return { kind: 'integer', value: sign * Number(digits) };
    if (digits.endsWith('.')) this.fail('a decimal must have fraction digits');
    if (digits.length - digits.indexOf('.') - 1 > 3) this.fail('too many fraction digits');
    return { kind: 'decimal', value: sign * Number(digits) };
  }

  // RFC 9651 §4.2.5
  string(): string {
    this.pos++; // DQUOTE
    let out = '';
    while (!this.done) {
      const c = this.next();
      if (c === '\\') {
        if (this.done) break;
        const escaped = this.next();
        if (escaped !== '"' && escaped !== '\\') this.fail('bad escape in string');
        out += escaped;
      } else if (c === '"') return out;
      else if (c < ' ' || c > '~') this.fail('string characters must be printable ASCII');
      else out += c;
    }
    return this.fail('unterminated string');
  }

  // RFC 9651 §4.2.6
  token(): string {
    const start = this.pos++;
    while (!this.done) {
      const c = this.peek();
      if (!isTchar(c) && c !== ':' && c !== '/') break;
      this.pos++;
    }
    return this.input.slice(start, this.pos);
  }

  // RFC 9651 §4.2.7
  byteSequence(): Uint8Array {
    this.pos++; // ":"
    const end = this.input.indexOf(':', this.pos);
    if (end < 0) this.fail('unterminated byte sequence');
    const content = this.input.slice(this.pos, end);
    const bytes = decodeBase64(content);
    if (!bytes) this.fail('bad base64 in byte sequence');
    this.pos = end + 1;
    return bytes;
  }

  // RFC 9651 §4.2.8
  boolean(): boolean {
    this.pos++; // "?"
    const c = this.next();
    if (c === '1') return true;
    if (c === '0') return false;
    return this.fail('a boolean is ?0 or ?1');
  }

  // RFC 9651 §4.2.9
  date(): SfBareItem {
    this.pos++; // "@"
    const n = this.number();
    if (n.kind !== 'integer') this.fail('a date must be an integer');
    return { kind: 'date', value: n.value };
  }

  // RFC 9651 §4.2.10
  displayString(): string {
    this.pos++; // "%"
    if (this.next() !== '"') this.fail('expected DQUOTE after "%"');
    const bytes: number[] = [];
    while (!this.done) {
      const c = this.next();
      if (c < ' ' || c > '~') this.fail('display string characters must be printable ASCII');
      if (c === '%') {
        const hex = this.input.slice(this.pos, this.pos + 2);
        if (!/^[0-9a-f]{2}$/.test(hex)) this.fail('bad percent-encoding in display string');
        bytes.push(parseInt(hex, 16));
        this.pos += 2;
      } else if (c === '"') {
        const text = decodeUtf8(bytes);
        if (text === undefined) this.fail('display string is not valid UTF-8');
        return text;
      } else bytes.push(c.charCodeAt(0));
    }
    return this.fail('unterminated display string');
  }
}

/** Decodes base64 (padding optional, RFC 9651 §4.2.7); `undefined` on any other character or a bad length. */
function decodeBase64(text: string): Uint8Array | undefined {
  const body = text.replace(/={0,2}$/, '');
  if (body.length % 4 === 1) return undefined;
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const c of body) {
    const v = BASE64.indexOf(c);
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decoding (no overlongs, no surrogates); `undefined` when the bytes are not UTF-8. */
function decodeUtf8(bytes: readonly number[]): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    let need: number;
    let cp: number;
    let min: number;
    if (b < 0x80) [need, cp, min] = [0, b, 0];
    else if (b >= 0xc2 && b <= 0xdf) [need, cp, min] = [1, b & 0x1f, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, cp, min] = [2, b & 0x0f, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, cp, min] = [3, b & 0x07, 0x10000];
    else return undefined;
    for (let k = 1; k <= need; k++) {
      const cont = bytes[i + k];
      if (cont === undefined || (cont & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (cont & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/**
 * Parses an RFC 9651 Dictionary field value (§4.2 with §4.2.2). Combine several field lines first, joined with
 * `", "`. Never throws: any syntax error, and any character outside ASCII, is a failure with its position.
 *
 * @example
 * ```ts
 * parseSfDictionary('train-ai=n, search=y') // { ok: true, value: Map { 'train-ai' => { kind: 'item', value: { kind: 'token', value: 'n' }, … }, … } }
 * parseSfDictionary('Train-AI=n')           // { ok: false, at: 0, reason: 'a key must start with a-z or "*"' }
 * ```
 */
export function parseSfDictionary(input: string): SfDictionaryResult {
  // RFC 9651 §4.2: the field value is ASCII; anything else fails.
  // eslint-disable-next-line no-control-regex
  const nonAscii = /[^\x00-\x7f]/.exec(input);
  if (nonAscii) return { ok: false, at: nonAscii.index, reason: 'non-ASCII character' };
  let start = 0;
  while (input.charAt(start) === ' ') start++;
  let end = input.length;
  while (end > start && input.charAt(end - 1) === ' ') end--;
  const parser = new SfParser(input.slice(start, end));
  try {
    return { ok: true, value: parser.dictionary() };
  } catch (e) {
    if (e instanceof SfFailure) return { ok: false, at: start + e.at, reason: e.reason };
    throw e;
  }
}

function serializeKey(key: string): string {
  if (!/^[a-z*][a-z0-9_\-.*]*$/.test(key)) throw new RangeError(`not a structured-field key: ${key}`);
  return key;
}

function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    const chars = [18, 12, 6, 0].map((s) => BASE64.charAt((n >> s) & 63));
    const left = bytes.length - i;
    out += chars.slice(0, left >= 3 ? 4 : left + 1).join('') + (left >= 3 ? '' : '='.repeat(3 - left));
  }
  return out;
}

function serializeBareItem(item: SfBareItem): string {
  switch (item.kind) {
    case 'integer':
      if (!Number.isInteger(item.value) || Math.abs(item.value) > 999_999_999_999_999) throw new RangeError('integer');
      return String(item.value);
    case 'decimal': {
      const rounded = Math.round(item.value * 1000) / 1000;
      if (!Number.isFinite(rounded) || Math.abs(rounded) >= 1e12) throw new RangeError('decimal out of range');
      const text = String(rounded);
      return text.includes('.') ? text : `${text}.0`;
    }
    case 'string':
      if (!/^[\x20-\x7e]*$/.test(item.value)) throw new RangeError('string must be printable ASCII');
      return `"${item.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    case 'token':
      if (!/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/.test(item.value)) throw new RangeError('not a token');
      return item.value;
    case 'byte-sequence':
      return `:${encodeBase64(item.value)}:`;
    case 'boolean':
      return item.value ? '?1' : '?0';
    case 'date':
      return `@${serializeBareItem({ kind: 'integer', value: item.value })}`;
    case 'display-string': {
      let out = '%"';
      for (const ch of item.value) {
        const cp = ch.codePointAt(0)!;
        if (cp >= 0x20 && cp <= 0x7e && ch !== '%' && ch !== '"') out += ch;
        else out += encodeURIComponent(ch).toLowerCase(); // RFC 9651 §4.1.11: lowercase percent-encoded UTF-8
      }
      return `${out}"`;
    }
    default: {
      const never: never = item;
      return never;
    }
  }
}

function serializeParameters(params: SfParameters): string {
  let out = '';
  for (const [key, value] of params) {
    out += `;${serializeKey(key)}`;
    if (!(value.kind === 'boolean' && value.value)) out += `=${serializeBareItem(value)}`;
  }
  return out;
}

/**
 * Serializes a Dictionary (RFC 9651 §4.1.2). Throws `RangeError` on a value that cannot be serialized (a bad key,
 * a non-ASCII string): the input is ours, not untrusted.
 *
 * @example
 * ```ts
 * serializeSfDictionary(new Map([['search', { kind: 'item', value: { kind: 'token', value: 'y' }, params: new Map() }]]))
 * // 'search=y'
 * ```
 */
export function serializeSfDictionary(dict: SfDictionary): string {
  const members: string[] = [];
  for (const [key, member] of dict) {
    let text = serializeKey(key);
    if (member.kind === 'item') {
      if (member.value.kind === 'boolean' && member.value.value) text += serializeParameters(member.params);
      else text += `=${serializeBareItem(member.value)}${serializeParameters(member.params)}`;
    } else {
      const items = member.items.map((i) => serializeBareItem(i.value) + serializeParameters(i.params));
      text += `=(${items.join(' ')})${serializeParameters(member.params)}`;
    }
    members.push(text);
  }
  return members.join(', ');
}
