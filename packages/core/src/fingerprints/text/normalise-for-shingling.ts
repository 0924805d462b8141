/**
 * The text every text fingerprint is taken over: what is left of a work when the things a copier changes for free
 * (spacing, punctuation, width, case, decoration) are taken away. research/matching.md §1.2: for Korean, NFKC, then no
 * whitespace at all, then character shingles: a re-spaced copy keeps Jaccard 1.000 this way and 0.037 with word
 * shingles.
 */

/**
 * A text normalised for shingling, with where each of its characters came from. Characters are code points (a
 * surrogate pair is one character); `starts[i]`/`ends[i]` are the UTF-16 offsets, in the text that was normalised, of
 * the source of character `i`, so a match found on the normalised text can be shown in the caller's text. Characters
 * produced from one source cluster (a syllable and the jamo that compose with it, `ﬁ` giving `fi`) share its span.
 */
export interface NormalisedText {
  /** The shingling string. */
  readonly text: string;
  /** Its code points, one per character: what shingles and positions count. */
  readonly codePoints: Uint32Array;
  /** UTF-16 offset, in the original text, where the source of each character begins. */
  readonly starts: Uint32Array;
  /** UTF-16 offset, in the original text, just after the source of each character. */
  readonly ends: Uint32Array;
}

// What is removed, before and after NFKC. White_Space, P (punctuation), Cc (controls) and Cf (format: ZWSP, ZWJ,
// soft hyphen, BOM) carry no wording. S (symbols) is removed too: Korean informal writing uses ~ ^^ ★ ♡ ※ as
// punctuation, and a copier re-decorates freely; the cost (a formula's + and =, an emoji-only post, ₩ and $) is small
// for prose, which is what text works are. Z is listed too, so that a separator goes even where a Unicode version leaves it out of White_Space;
// Cs drops lone surrogates, which have no UTF-8 form. Marks (M) are kept: they are letters' parts in most scripts.
const REMOVABLE = /^[\p{White_Space}\p{Z}\p{P}\p{S}\p{Cc}\p{Cf}\p{Cs}]$/u;
const REMOVABLE_ANY = /[\p{White_Space}\p{Z}\p{P}\p{S}\p{Cc}\p{Cf}\p{Cs}]/u;
const REMOVABLE_GLOBAL = /[\p{White_Space}\p{Z}\p{P}\p{S}\p{Cc}\p{Cf}\p{Cs}]/gu;
const MARK = /^\p{M}$/u;

const UNKNOWN = 0;
/** Dropped before normalisation. */
const REMOVE = 1;
/** Starts a chunk and is its own normal form (`a`, `한`, `中`). */
const KEEP = 2;
/** Starts a chunk; alone it normalises to `SINGLE_MAPPINGS.get(cp)` (`A` → `a`). */
const MAP = 3;
/** Joins the chunk before it: it may compose or reorder with what precedes it (see `startsChunk`). */
const JOIN = 4;

let classes: Uint8Array | undefined;

/**
 * ASCII after normalisation: a letter or digit maps to itself, a capital to its small letter, everything else (P, S,
 * Zs, Cc) to 0, removed. The same rule as the ASCII branch of `normaliseForShingling`, as a table for its fast path.
 */
const ASCII_FOLDED = Uint8Array.from({ length: 0x80 }, (_, cp) =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) ? cp : cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : 0,
);
const SINGLE_MAPPINGS = new Map<number, Uint32Array>();
const CHUNK_CACHE = new Map<string, Uint32Array>();
const CHUNK_CACHE_LIMIT = 4096;

/**
 * Code points that combine with the character before them under canonical composition but are not marks (\p{M}):
 * Hangul medial vowels and final consonants (the Hangul composition algorithm, Unicode §3.12; the whole V and T
 * blocks, conservatively) and U+16D67 KIRAT RAI VOWEL SIGN E (Unicode 16), found by enumerating every primary
 * composite of this engine's ICU. normalise-for-shingling.test.ts repeats that enumeration, so a Unicode update
 * that adds one fails the test.
 */
function combinesBackwardWithoutMark(cp: number): boolean {
  return (cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff) || cp === 0x16d67;
}

/**
 * Case folding: `toLowerCase`, then final sigma ς → σ. `toLowerCase` applies the Final_Sigma context rule, which
 * would make the same word fold differently with and without a following space; CaseFolding.txt folds ς to σ, so we
 * do too. This is simple lower-casing, not full case folding (ß stays ß, not "ss"): enough for the Latin, Greek and
 * Cyrillic in Korean and English works, and irrelevant to Hangul, which has no case.
 */
function fold(text: string): string {
  return text.toLowerCase().replace(/ς/g, 'σ');
}

function toCodePoints(text: string): Uint32Array {
  const out: number[] = [];
  for (const char of text) out.push(char.codePointAt(0)!);
  return Uint32Array.from(out);
}

/**
 * One chunk (or a whole text, in tests) through NFKC, folding, NFKC again (lower-casing can leave a string that is
 * not NFKC: `İ` → `i̇`) and removal, repeated until nothing changes (NFKC can make new capitals, `ᴬ` → `A`, and new
 * punctuation, `⑴` → `(1)`), so that normalising twice changes nothing. Two rounds reach the fixed point for every
 * single character (checked over all of Unicode in the test); four leave room for longer chunks. Exported for the
 * tests, which use it on whole texts as the reference the chunked normaliser must agree with.
 *
 * @example
 * ```ts
 * normaliseChunk('ᴬ ⑴ ΟΔΟΣ') // 'a1οδοσ'
 * ```
 */
export function normaliseChunk(text: string): string {
  let current = text.replace(REMOVABLE_GLOBAL, '');
  for (let round = 0; round < 4; round++) {
    const next = fold(current.normalize('NFKC')).normalize('NFKC').replace(REMOVABLE_GLOBAL, '');
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * True when a chunk may end before `char`, i.e. NFKC of any text splits there (UAX #15, "Stable Code Points", ICU's
 * `hasBoundaryBefore`): its compatibility decomposition starts with a starter (combining class 0; a non-zero class
 * implies \p{M}, checked over all of Unicode in the test) that cannot compose with a preceding character. We also
 * keep together a character whose decomposition holds removable characters (`ͺ` → space + U+0345): once the space
 * is removed, what follows may compose with the chunk before (`αͺ` → `ᾳ`).
 */
function startsChunk(char: string): boolean {
  const decomposed = char.normalize('NFKD');
  const first = decomposed.codePointAt(0)!;
  return (
    !MARK.test(String.fromCodePoint(first)) && !combinesBackwardWithoutMark(first) && !REMOVABLE_ANY.test(decomposed)
  );
}

function classify(table: Uint8Array, cp: number): number {
  const char = String.fromCodePoint(cp);
  let kind: number;
  if ((cp >= 0xd800 && cp <= 0xdfff) || REMOVABLE.test(char)) {
    kind = REMOVE;
  } else if (!startsChunk(char)) {
    kind = JOIN;
  } else {
    const normalised = normaliseChunk(char);
    if (normalised === char) {
      kind = KEEP;
    } else {
      SINGLE_MAPPINGS.set(cp, toCodePoints(normalised));
      kind = MAP;
    }
  }
  table[cp] = kind;
  return kind;
}

function normaliseSlowChunk(chunk: string): Uint32Array {
  let cached = CHUNK_CACHE.get(chunk);
  if (cached === undefined) {
    cached = toCodePoints(normaliseChunk(chunk));
    if (CHUNK_CACHE.size >= CHUNK_CACHE_LIMIT) CHUNK_CACHE.clear();
    CHUNK_CACHE.set(chunk, cached);
  }
  return cached;
}

/**
 * A string from code points, a few thousand at a time (engines limit the arguments of one call).
 *
 * @example
 * ```ts
 * stringFromCodePoints(Uint32Array.of(0xd55c, 0x1f600)) // '한😀'
 * ```
 */
export function stringFromCodePoints(codePoints: Uint32Array): string {
  const units = new Uint16Array(codePoints.length * 2);
  let length = 0;
  for (const cp of codePoints) {
    if (cp >= 0x10000) {
      units[length++] = 0xd800 + ((cp - 0x10000) >> 10);
      units[length++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    } else {
      units[length++] = cp;
    }
  }
  let out = '';
  for (let i = 0; i < length; i += 8192)
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(i + 8192, length)) as unknown as number[]);
  return out;
}

/** Output being built: characters and their source spans, in parallel arrays that grow when NFKC expands. */
interface Output {
  codePoints: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  length: number;
}

function allocate(capacity: number): Output {
  // One buffer for the three arrays: one allocation instead of three per document.
  const buffer = new ArrayBuffer(capacity * 12);
  return {
    codePoints: new Uint32Array(buffer, 0, capacity),
    starts: new Uint32Array(buffer, capacity * 4, capacity),
    ends: new Uint32Array(buffer, capacity * 8, capacity),
    length: 0,
  };
}

/** Appends characters that all come from the source span [start, end). */
function pushAll(out: Output, cps: Uint32Array, start: number, end: number): void {
  if (out.length + cps.length > out.codePoints.length) {
    const grown = allocate((out.codePoints.length + cps.length) * 2);
    grown.codePoints.set(out.codePoints);
    grown.starts.set(out.starts);
    grown.ends.set(out.ends);
    out.codePoints = grown.codePoints;
    out.starts = grown.starts;
    out.ends = grown.ends;
  }
  for (const cp of cps) {
    out.codePoints[out.length] = cp;
    out.starts[out.length] = start;
    out.ends[out.length] = end;
    out.length++;
  }
}

/** A `NormalisedText` whose string is made only when asked for: fingerprints need only the code points. */
class NormalisedResult implements NormalisedText {
  private cachedText: string | undefined;

  constructor(
    readonly codePoints: Uint32Array,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
  ) {}

  get text(): string {
    return (this.cachedText ??= stringFromCodePoints(this.codePoints));
  }
}

/**
 * Normalises a text for shingling: Unicode NFKC (never NFD, which splits Hangul syllables into jamo and triples the
 * shingle length; research/matching.md §1.2), case folding (`toLowerCase`, then ς → σ; see `fold`), and removal of
 * every White_Space, punctuation (P), symbol (S), control (Cc) and format (Cf) character, both before NFKC (so that a
 * space or a dot typed between compatibility jamo cannot change how they compose) and after it (NFKC turns `⑴` into
 * `(1)`). Inserting or deleting such characters anywhere gives the same result, so re-spaced and re-punctuated
 * Korean normalises to the same string, and normalising twice changes nothing.
 *
 * NFKC depends on context (a jamo composes with the syllable before it), so the text is cut before every character
 * whose compatibility decomposition starts with a character of combining class 0 that cannot compose with what
 * precedes it (UAX #15, "Stable Code Points"; see `startsChunk`); each chunk is normalised on its own, which gives
 * the same result as normalising the whole text (checked against every canonical composite of Unicode in the test)
 * and says which source span each output character came from. Characters are iterated by code point; ASCII and
 * characters seen before take a table lookup, not a call to `normalize`, and a run of characters that are each a
 * chunk of their own and their own normal form (ASCII, Hangul syllables, most letters) is copied in a tight loop.
 *
 * @example
 * ```ts
 * const n = normaliseForShingling('Ｋ-POP, 안녕 하세요!');
 * n.text      // 'kpop안녕하세요'
 * n.starts[4] // 7: '안' is at UTF-16 offset 7 of the input
 * ```
 */
export function normaliseForShingling(text: string): NormalisedText {
  const { codePoints, starts, ends } = normaliseInto(text, allocate(text.length + 16), true);
  return new NormalisedResult(codePoints, starts, ends);
}

// Scratch output for `normalisedCodePoints`, reused across documents up to SCRATCH_LIMIT UTF-16 units: a scan
// normalises millions of small documents, and allocating, zeroing and collecting a fresh 12-bytes-per-character buffer
// for each is a large share of the time for a 2 KB one. A longer text gets buffers of its own, so that one novel does
// not pin them forever.
const SCRATCH_LIMIT = 1 << 16;
let scratch: ArrayBuffer | undefined;

/**
 * The code points of `normaliseForShingling(text)`, without the offsets, in a scratch array that the next call
 * overwrites: for fingerprints that read the code points once, straight away (`minhash`, `winnow`,
 * `fingerprintText`), never for anything that keeps them or hands them to a caller.
 *
 * @example
 * ```ts
 * minhashOfCodePoints(normalisedCodePoints(text)) // the array is read before the next normalisation
 * ```
 */
export function normalisedCodePoints(text: string): Uint32Array {
  const capacity = text.length + 16;
  let out: Output;
  if (capacity > SCRATCH_LIMIT) {
    out = allocate(capacity);
  } else {
    scratch ??= new ArrayBuffer(SCRATCH_LIMIT * 12);
    // Views made afresh each call: when NFKC expands past the scratch, `pushAll` grows into a buffer of this call's
    // own, which is dropped afterwards instead of replacing the scratch.
    out = {
      codePoints: new Uint32Array(scratch, 0, SCRATCH_LIMIT),
      starts: new Uint32Array(scratch, SCRATCH_LIMIT * 4, SCRATCH_LIMIT),
      ends: new Uint32Array(scratch, SCRATCH_LIMIT * 8, SCRATCH_LIMIT),
      length: 0,
    };
  }
  return normaliseInto(text, out, false).codePoints;
}

/**
 * The normaliser behind `normaliseForShingling` and `normalisedCodePoints`: writes the characters of `text` and their
 * source spans into `out` (growing it where NFKC expands) and returns views of the written part.
 */
function normaliseInto(
  text: string,
  out: Output,
  withOffsets: boolean,
): { codePoints: Uint32Array; starts: Uint32Array; ends: Uint32Array } {
  const table = (classes ??= new Uint8Array(0x110000));
  const n = text.length;
  // Every kept input character gives one output character, except where NFKC expands (ligatures, ﷺ): then `pushAll`
  // grows the arrays, and the loop reloads its local views of them.
  let codePoints = out.codePoints;
  let starts = out.starts;
  let ends = out.ends;
  let length = 0;
  // The current chunk. A chunk that starts with a KEEP or MAP character is written out at once (most chunks are one
  // character); when a JOIN character follows, what it wrote is taken back from `chunkOut` on, and the chunk's text
  // (removed characters left out) is normalised as a string once the next boundary or the end is reached.
  let chunkKind = UNKNOWN;
  let chunkCp = 0;
  let chunkStart = 0;
  let chunkEnd = 0;
  let chunkOut = 0;
  let chunkText = '';
  for (let i = 0; i < n;) {
    if (chunkKind !== JOIN) {
      // Fast path: a run of characters each its own chunk that normalise alone to at most one character (ASCII, and
      // every KEEP or REMOVE character of the table: Hangul syllables, most letters) needs neither chunk bookkeeping
      // nor a call to `normalize`, just a store. It stops before anything else (JOIN, MAP, a surrogate, a character
      // not classified yet), which the general path below takes, and before the arrays could overflow.
      const stop = Math.min(n, i + codePoints.length - length);
      const runFrom = length;
      let last = i;
      while (i < stop) {
        const unit = text.charCodeAt(i);
        let kept: number;
        if (unit < 0x80) {
          kept = ASCII_FOLDED[unit]!;
          if (kept === 0) {
            i++;
            continue;
          }
        } else {
          if (unit >= 0xd800 && unit <= 0xdfff) break;
          const kind = table[unit];
          if (kind === REMOVE) {
            i++;
            continue;
          }
          if (kind !== KEEP) break;
          kept = unit;
        }
        codePoints[length] = kept;
        // Offsets only where the caller gets them: `normalisedCodePoints` has no use for them.
        if (withOffsets) {
          starts[length] = i;
          ends[length] = i + 1;
        }
        last = i;
        length++;
        i++;
      }
      if (length > runFrom) {
        // What the run wrote last is the open chunk, as if the general path had written it: a JOIN character next
        // takes it back and normalises it together with what follows (`각` + U+11A8, `a` + U+0301).
        chunkKind = KEEP;
        chunkOut = length - 1;
        chunkCp = codePoints[chunkOut]!;
        chunkStart = last;
        chunkEnd = last + 1;
      }
      if (i >= n) break;
    }
    let cp = text.charCodeAt(i);
    let width = 1;
    let kind = KEEP;
    if (cp < 0x80) {
      // ASCII: letters and digits stay (capitals fold), everything else is P, S, Zs or Cc and goes.
      if (cp >= 0x61 ? cp > 0x7a : cp < 0x30 || (cp > 0x39 && (cp < 0x41 || cp > 0x5a))) {
        i++;
        continue;
      }
      if (cp >= 0x41 && cp <= 0x5a) cp += 0x20;
    } else {
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      kind = table[cp]!;
      if (kind === UNKNOWN) kind = classify(table, cp);
      if (kind === REMOVE) {
        i += width;
        continue;
      }
      if (kind === JOIN) {
        const char = width === 1 ? text[i]! : text.slice(i, i + 2);
        if (chunkKind === JOIN) {
          chunkText += char;
        } else if (chunkKind === UNKNOWN) {
          chunkText = char;
          chunkStart = i;
          chunkOut = length;
        } else {
          chunkText = String.fromCodePoint(chunkCp) + char;
          length = chunkOut;
        }
        chunkKind = JOIN;
        chunkEnd = i + width;
        i += width;
        continue;
      }
    }
    // A boundary: a pending JOIN chunk is complete; then this character is written out.
    if (chunkKind === JOIN) {
      out.length = length;
      pushAll(out, normaliseSlowChunk(chunkText), chunkStart, chunkEnd);
      ({ codePoints, starts, ends, length } = out);
    }
    chunkOut = length;
    if (kind === KEEP && length < codePoints.length) {
      codePoints[length] = cp;
      starts[length] = i;
      ends[length] = i + width;
      length++;
    } else {
      out.length = length;
      pushAll(out, kind === KEEP ? Uint32Array.of(cp) : SINGLE_MAPPINGS.get(cp)!, i, i + width);
      ({ codePoints, starts, ends, length } = out);
    }
    chunkKind = kind;
    chunkCp = cp;
    chunkStart = i;
    chunkEnd = i + width;
    i += width;
  }
  if (chunkKind === JOIN) {
    out.length = length;
    pushAll(out, normaliseSlowChunk(chunkText), chunkStart, chunkEnd);
    ({ codePoints, starts, ends, length } = out);
  }
  return {
    codePoints: codePoints.subarray(0, length),
    starts: starts.subarray(0, length),
    ends: ends.subarray(0, length),
  };
}
