/**
 * Path normalisation and pattern matching for robots.txt (RFC 9309 §2.2.2, §2.2.3), shared by Allow/Disallow,
 * AIPREF `Content-Usage` paths and `Content-Signal` paths.
 */

const HEX = '0123456789ABCDEF';

/** The UTF-8 bytes of one code point (lone surrogates as U+FFFD, as a UTF-8 encoder writes them). */
export function utf8Bytes(codePoint: number): number[] {
  const cp = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint;
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

/** The number of UTF-8 bytes of one code point. */
export function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/**
 * Normalises a path or pattern for octet comparison (RFC 9309 §2.2.2): characters outside printable ASCII
 * (non-ASCII, controls, space) are percent-encoded as UTF-8 with uppercase hex, and existing `%xx` escapes get
 * uppercase hex. Escapes are never decoded: `%62` stays `%62` and does not match `b`, as Google's reference parser
 * does (robots_test.cc `ID_Encoding`), because decoding is unsafe for reserved characters.
 *
 * @example
 * ```ts
 * normaliseRobotsPath('/foo/bar/ツ')   // '/foo/bar/%E3%83%84'
 * normaliseRobotsPath('/a%2fb')        // '/a%2Fb'
 * ```
 */
export function normaliseRobotsPath(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (ch === '%' && isHex(text[i]) && isHex(text[i + 1])) {
      out += `%${text.slice(i, i + 2).toUpperCase()}`;
      i += 2;
    } else if (cp > 0x20 && cp < 0x7f) {
      out += ch;
    } else {
      for (const byte of utf8Bytes(cp)) out += `%${HEX[byte >> 4] ?? '0'}${HEX[byte & 15] ?? '0'}`;
    }
  }
  return out;
}

/**
 * True when `path` (normalised) matches `pattern` (normalised): `*` matches any run of characters including none and
 * `/`; a `$` at the end anchors the end of the path; anything else matches itself, case-sensitively. Patterns match
 * prefixes (RFC 9309 §2.2.3). The set of reachable path positions is tracked, so the time is O(|pattern|·|path|)
 * at worst and never exponential.
 *
 * @example
 * ```ts
 * robotsPatternMatches('/fish*.php', '/fish/salmon.php') // true
 * robotsPatternMatches('/*.php$', '/index.php?x')         // false
 * ```
 */
export function robotsPatternMatches(pattern: string, path: string): boolean {
  // Positions in `path` reachable after the pattern so far, ascending. After a `*` they form a suffix range.
  let positions: number[] = [0];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '$' && i === pattern.length - 1) return positions.includes(path.length);
    if (c === '*') {
      const from = positions[0] ?? 0;
      positions = [];
      for (let p = from; p <= path.length; p++) positions.push(p);
      continue;
    }
    const next: number[] = [];
    for (const p of positions) if (p < path.length && path[p] === c) next.push(p + 1);
    if (next.length === 0) return false;
    positions = next;
  }
  return true;
}

/**
 * The path, parameters and query of a URL, as RFC 9309 matches them: scheme, authority and fragment dropped, `/` for
 * none. Ports Google's `GetPathParamsQuery` (robots.cc), so `example.com` → `/`, `a/b` → `/b`, `//a/b/c` → `/b/c`.
 *
 * @example
 * ```ts
 * robotsPathOfUrl('https://example.com/a;b?c=d#frag') // '/a;b?c=d'
 * ```
 */
export function robotsPathOfUrl(url: string): string {
  const searchStart = url.startsWith('//') ? 2 : 0;
  const firstOf = (chars: string, from: number): number => {
    for (let i = from; i < url.length; i++) if (chars.includes(url[i] ?? '')) return i;
    return -1;
  };
  const earlyPath = firstOf('/?;', searchStart);
  let protocolEnd = url.indexOf('://', searchStart);
  if (earlyPath !== -1 && (protocolEnd === -1 || earlyPath < protocolEnd)) protocolEnd = -1;
  protocolEnd = protocolEnd === -1 ? searchStart : protocolEnd + 3;
  const pathStart = firstOf('/?;', protocolEnd);
  if (pathStart === -1) return '/';
  const hash = url.indexOf('#', searchStart);
  if (hash !== -1 && hash < pathStart) return '/';
  const path = url.slice(pathStart, hash === -1 ? url.length : hash);
  return path.startsWith('/') ? path : `/${path}`;
}
