import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRandom, englishText, koreanText } from '../../../test/text-corpus.js';
import { decodeText } from './decode-text.js';
import { fingerprintText } from './fingerprint-text.js';
import { lshBandKeys } from './lsh-band-keys.js';
import { minhash, minhashClassic } from './minhash.js';
import { normaliseForShingling } from './normalise-for-shingling.js';
import { serialiseTextFingerprints } from './serialise-text-fingerprint.js';
import { textDigests } from './text-digests.js';
import { winnow } from './winnow.js';

// Every output of the text pipeline, pinned: fingerprints are stored in the registry, so a faster implementation must
// give bit-identical values (normalised text, offset maps, MinHash, winnowing, digests, serialised rows). The digests
// below were computed with the implementation before it was optimised; a change to any output changes one of them.

/** Ranges a copier's text can hold, weighted towards the ones with special cases in the normaliser. */
const RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e], // ASCII: letters fold, punctuation and spaces go
  [0x20, 0x7e],
  [0xa0, 0x24f], // Latin-1 and Latin Extended: ß, İ, ligature-like letters
  [0x300, 0x36f], // combining marks: compose with what precedes them
  [0x370, 0x3ff], // Greek: final sigma, ͺ (space + U+0345 under NFKD)
  [0x1100, 0x11ff], // conjoining jamo: compose into syllables across chunks
  [0x3130, 0x318f], // compatibility jamo: NFKC maps them to conjoining jamo
  [0xac00, 0xd7a3], // Hangul syllables: LV + T composes
  [0xac00, 0xd7a3],
  [0xd7b0, 0xd7ff], // Hangul Jamo Extended-B
  [0x3300, 0x33ff], // CJK squares: one character, several after NFKC
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfb00, 0xfb4f], // ligatures: ﬁ → fi
  [0xfdf0, 0xfdff], // ﷺ: one character, 18 after NFKC
  [0xff00, 0xffef], // full width and half width forms
  [0x2000, 0x206f], // general punctuation, zero-width and format characters
  [0x2460, 0x24ff], // enclosed alphanumerics: ⑴ → (1)
  [0xd800, 0xdfff], // lone surrogates
  [0x1d400, 0x1d7ff], // mathematical letters: astral, map to ASCII
  [0x1f600, 0x1f64f], // emoji: astral symbols, removed
  [0x16d40, 0x16d7f], // Kirat Rai: U+16D67 combines backward without being a mark
];

/** A deterministic string of `length` UTF-16 units drawn from `RANGES`. */
function mixedText(seed: number, length: number): string {
  const random = createRandom(seed);
  let out = '';
  while (out.length < length) {
    const [low, high] = RANGES[Math.floor(random() * RANGES.length)]!;
    out += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
  }
  return out;
}

const hex32 = (values: Uint32Array): string => Array.from(values, (v) => v.toString(16)).join(',');

/** Every output of the pipeline for one text, as one string whose SHA-256 is pinned. */
function outputsOf(text: string): string {
  const parts: string[] = [];
  const normalised = normaliseForShingling(text);
  parts.push(normalised.text, hex32(normalised.codePoints), hex32(normalised.starts), hex32(normalised.ends));
  const bytes = new TextEncoder().encode(text);
  const digests = textDigests(bytes);
  parts.push(digests.sha256, digests.normalisedSha256);
  const w = winnow(text);
  parts.push(hex32(w.positions), hex32(w.hashHigh), hex32(w.hashLow));
  if (normalised.codePoints.length > 0) {
    parts.push(hex32(minhash(text)), hex32(minhashClassic(text)), lshBandKeys(minhash(text)).join(','));
    const fp = fingerprintText(bytes);
    parts.push(String(fp.characters), ...serialiseTextFingerprints(fp).map((row) => `${row.algorithm}=${row.value}`));
  }
  return parts.join('\n');
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('pinned text pipeline outputs', () => {
  it('normalises a small text to the same characters and offsets', () => {
    const n = normaliseForShingling('Ｋ-POP, 안녕 하세요! ﬁ ᄀ각ᅡ 가 각 ㄱ ΟΔΟΣ 𝐀');
    expect(n.text).toBe('kpop안녕하세요fiᄀ각ᅡ가각ᄀοδοσa');
    expect([...n.starts]).toEqual([0, 2, 3, 4, 7, 8, 10, 11, 12, 15, 15, 17, 18, 18, 21, 24, 27, 29, 30, 31, 32, 34]);
    expect([...n.ends]).toEqual([1, 3, 4, 5, 8, 9, 11, 12, 13, 16, 16, 18, 20, 20, 23, 26, 28, 30, 31, 32, 33, 36]);
  });

  it('gives the same MinHash signature, winnowing fingerprints and serialised rows', () => {
    const fp = fingerprintText(new TextEncoder().encode(koreanText(7, 600)));
    expect(fp.characters).toBe(441);
    expect(hex32(fp.minhash.subarray(0, 4))).toBe('f6efd,2392e79,46d14bc,6332ecb');
    expect(hex32(fp.winnow.positions.subarray(0, 6))).toBe('5,c,18,20,2c,3c');
    expect(hex32(fp.winnow.hashHigh.subarray(0, 2))).toBe('34ff764,9f5d82f');
    expect(hex32(fp.winnow.hashLow.subarray(0, 2))).toBe('9252f85,113c79a2');
  });

  // [what the text is, how to make it, SHA-256 of outputsOf(text) as the implementation before optimisation gave it]
  const cases: readonly (readonly [string, () => string, string])[] = [
    ['Korean prose', () => koreanText(1, 3000), '3e50c3cbf999877de08468ad62492c60336f23181ea98213ac88f274450a3378'],
    ['English prose', () => englishText(2, 3000), 'ef34b6538197f89f8d19bf4267ddac0c451beef878d8d33ecbac72372b42b322'],
    [
      'a short Korean text (fewer characters than one shingle)',
      () => '한국',
      'cb9c584bb6b50745ba3abf7d7c11771c94a45f4301eb4944c081cc3614ed73ae',
    ],
    [
      'an English text of 13 to 28 characters (one winnowing window)',
      () => 'The quick brown fox jumps.',
      'aeb2b28a6c542ed9dab4cf0983439ad81091dcb02e06afe1c6d2a9144ece88ef',
    ],
    [
      'mixed scripts, jamo, marks, ligatures, astral and lone surrogates',
      () => mixedText(3, 5000),
      '56d70851a4d145cd4ca02ced51b7ee2d9a3312837cfe6d6ac14844b8eac793db',
    ],
    [
      'a text longer than the scratch arrays',
      () => englishText(8, 70_000) + mixedText(9, 2000),
      '410e331215cdeda44445a864963561753486f1e6b60b0c77e2253dce023636b1',
    ],
    [
      'mixed scripts, a second seed',
      () => mixedText(4, 20_000),
      '0b862eb50749eb5cee13aa2764596252bd6ee2a1d8fe9aad81638f3859e014f7',
    ],
    [
      'Korean with jamo and compatibility forms between syllables',
      () => koreanText(5, 2000).replace(/다/g, '닥 ㄱ'),
      'c22495b03f4a4d52958ef713cad7bdfa2ed7d33e1aa450505b859004126df084',
    ],
  ];

  it.each(cases)('%s', (_, make, digest) => {
    expect(sha256Hex(outputsOf(make()))).toBe(digest);
  });

  it('gives results that later calls leave alone (scratch arrays are never handed out)', () => {
    const text = koreanText(10, 800);
    const normalised = normaliseForShingling(text);
    const codePoints = normalised.codePoints.slice();
    const signature = minhash(text);
    const fingerprints = winnow(text);
    const copy = { positions: fingerprints.positions.slice(), high: fingerprints.hashHigh.slice() };
    for (let seed = 11; seed < 14; seed++) {
      const other = englishText(seed, 900);
      normaliseForShingling(other);
      minhash(other);
      winnow(other);
      fingerprintText(new TextEncoder().encode(other));
    }
    expect(normalised.codePoints).toEqual(codePoints);
    expect(minhash(text)).toEqual(signature);
    expect(fingerprints.positions).toEqual(copy.positions);
    expect(fingerprints.hashHigh).toEqual(copy.high);
  });

  it('decodes UTF-8, U+FFFD written in the text included, with and without a byte-order mark', () => {
    // TextEncoder writes each lone surrogate as U+FFFD (EF BF BD): valid UTF-8 that must decode as itself.
    const bytes = new TextEncoder().encode(mixedText(6, 4000));
    const text = decodeText(bytes);
    expect(text).toBe(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    expect(text).toContain('\ufffd');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toBe(text);
    expect(sha256Hex(text)).toBe('230583eac1b8dec2a9b5ab6430428eebebb56113a8e647dea07be1a0ccf76644');
  });
});
