/**
 * Normalisation of absolute `http` and `https` URLs with the WHATWG URL parser, which browsers and Node both provide
 * as the global `URL`: core imports nothing for it, and gets the parser through `globalThis` so that it also builds
 * without DOM typings.
 */

/** The part of a WHATWG `URL` object this module reads. */
interface WhatwgUrl {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly pathname: string;
  readonly search: string;
}

type WhatwgUrlConstructor = new (input: string) => WhatwgUrl;

function findUrlConstructor(): WhatwgUrlConstructor | undefined {
  const candidate: unknown = (globalThis as { readonly URL?: unknown }).URL;
  return typeof candidate === 'function' ? (candidate as WhatwgUrlConstructor) : undefined;
}

/** The outcome of normalising a URL: the normalised text, or why it was refused. */
export type UrlNormalisation =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

const ABSOLUTE_HTTP = /^https?:\/\//i;

// RFC 3986 §2.3 unreserved characters other than '.', which WHATWG treats as part of dot segments when encoded.
function isUnreservedNotDot(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2d ||
    code === 0x5f ||
    code === 0x7e
  );
}

// RFC 3986 §6.2.2.1 and §6.2.2.2: percent-encodings compare case-insensitively, and encoded unreserved characters
// equal the characters themselves.
function normalisePercentEncoding(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const code = parseInt(hex, 16);
    return isUnreservedNotDot(code) ? String.fromCharCode(code) : `%${hex.toUpperCase()}`;
  });
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Normalises an absolute `http`/`https` URL: lower-case scheme and host (IDN hosts become punycode), no default
 * port, no fragment, no empty `?`, percent-encodings upper-cased and encoded unreserved characters decoded; path and
 * query are kept. Refuses other schemes, relative URLs, user names and passwords, and control characters. Never
 * throws. `maxLength` bounds the normalised text too, since percent-encoding and punycode can lengthen it.
 *
 * @example
 * ```ts
 * normaliseHttpUrl('HTTPS://Example.COM:443/a%7eb?q=1#top', 2048) // { ok: true, value: 'https://example.com/a~b?q=1' }
 * ```
 */
export function normaliseHttpUrl(text: string, maxLength: number): UrlNormalisation {
  if (!ABSOLUTE_HTTP.test(text)) {
    return { ok: false, message: 'expected an absolute URL starting with http:// or https://' };
  }
  if (hasControlCharacter(text)) return { ok: false, message: 'a URL may not contain control characters' };
  const Url = findUrlConstructor();
  if (Url === undefined) return { ok: false, message: 'this environment has no WHATWG URL parser' };
  let url: WhatwgUrl;
  try {
    url = new Url(text);
  } catch {
    return { ok: false, message: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'only http and https URLs are accepted' };
  }
  if (url.username !== '' || url.password !== '') {
    // userinfo in a work's URL is either a secret or a spoof (`https://trusted.example@evil.example/`).
    return { ok: false, message: 'a URL may not contain a user name or password' };
  }
  if (url.host === '') return { ok: false, message: 'a URL must have a host' };
  const value = `${url.protocol}//${url.host}${normalisePercentEncoding(url.pathname)}${normalisePercentEncoding(url.search)}`;
  if (value.length > maxLength) {
    return { ok: false, message: `the normalised URL is longer than ${maxLength} characters` };
  }
  return { ok: true, value };
}
