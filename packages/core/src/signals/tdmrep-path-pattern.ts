/**
 * RFC 9309 path patterns, shared by TDMRep's `location` (research/signals.md §1) and RSL's `content url` (§4):
 * `*` matches any sequence, a final `$` anchors the end, matching is case-sensitive and percent-encoded unreserved
 * characters are decoded before comparison (RFC 9309 §2.2.2). Literal `*` and `$` are written `%2A` and `%24`.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Decodes percent-encoded unreserved characters, upper-cases the hex of the others, and encodes `*` and `$`. */
function normaliseLiteral(text: string): string {
  return text
    .replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
      const char = String.fromCharCode(parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    })
    .replace(/\*/g, '%2A')
    .replace(/\$/g, '%24');
}

/** A compiled path pattern: literal pieces between `*` wildcards, and whether a final `$` anchors the end. */
export interface PathPattern {
  readonly source: string;
  readonly pieces: readonly string[];
  readonly anchored: boolean;
  /** The pattern's length in characters after normalisation: the RFC 9309 measure of how specific it is. */
  readonly specificity: number;
}

/**
 * Compiles an RFC 9309 path pattern.
 *
 * @example
 * ```ts
 * matchPathPattern(compilePathPattern('/gallery/*.jpg$'), '/gallery/a.jpg') // true
 * ```
 */
export function compilePathPattern(source: string): PathPattern {
  const anchored = source.endsWith('$');
  const body = anchored ? source.slice(0, -1) : source;
  const pieces = body.split('*').map(normaliseLiteral);
  const specificity = pieces.join('*').length + (anchored ? 1 : 0);
  return { source, pieces, anchored, specificity };
}

/** Normalises a request path for comparison with a pattern (the same decoding the pattern gets). */
export function normalisePath(path: string): string {
  return normaliseLiteral(path);
}

/**
 * True when `path` matches `pattern`. The pattern matches a prefix of the path unless it ends in `$`.
 * Runs in O(path × pieces) without regular expressions, so hostile patterns cannot cause backtracking blow-ups.
 */
export function matchPathPattern(pattern: PathPattern, path: string): boolean {
  const text = normalisePath(path);
  const { pieces } = pattern;
  const first = pieces[0] ?? '';
  if (!text.startsWith(first)) return false;
  if (pieces.length === 1) return pattern.anchored ? text.length === first.length : true;
  let at = first.length;
  // Greedy leftmost matching of the middle pieces is exact for `*` globs.
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    const found = text.indexOf(piece, at);
    if (found < 0) return false;
    at = found + piece.length;
  }
  const last = pieces[pieces.length - 1] ?? '';
  if (!pattern.anchored) return text.indexOf(last, at) >= 0;
  return text.length - last.length >= at && text.endsWith(last);
}

/** The largest signal document heoga reads: 1 MiB of UTF-8 (tdmrep.json, RSL documents, TDM policies). */
export const MAX_SIGNAL_BYTES = 1024 * 1024;

/** True when `text` is longer than `limit` bytes in UTF-8; stops counting as soon as it is. */
export function exceedsUtf8Bytes(text: string, limit: number = MAX_SIGNAL_BYTES): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is 4 bytes: 2 for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3;
    if (bytes > limit) return true;
  }
  return false;
}
