import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { englishText, koreanText, repunctuate, respace } from '../../../test/text-corpus.js';
import { normaliseChunk, normaliseForShingling, stringFromCodePoints } from './normalise-for-shingling.js';

const norm = (text: string): string => normaliseForShingling(text).text;

/** Characters where normalisation is hard: jamo of every kind, marks, compatibility forms, capitals that NFKC makes. */
const TRICKY = [
  ...'가각힣ㄱㅎㅏㅣㄴㅋ하ᄀ하ᅵᆨᆫᆮ\u1160\u11a7\uffa1\uffc2\uffa4ﾡ', // syllables, compatibility, conjoining, half-width jamo
  ...'\u0300\u0301\u0316\u0334\u05b0\u0345\u0bbe\u0b3e\u3099\u309a\u034f', // marks of several combining classes
  ...'aAeEiIoOzZ0İıΣσςΟαͺﬁﬀ①⑴㈜ᴬ™Ｋｋ＆ｶﾞ\u212a\u2126ß\u00a8\u1e9b\u0f77', // folding and compatibility
  ...'\u0b47\u0bc6\u0cc6\u0d46\u0dd9\u1025\u1b05\u{16d63}\u{16d67}\u{11099}\u{110ba}', // backward-combining vowels
  ...' \t\n\u00a0\u3000\u200b\u200d\ufeff\u00ad.,!?…~★^·「」（）', // removable
  '😀',
  '𝔘',
];
const trickyText = fc.array(fc.constantFrom(...TRICKY), { maxLength: 24 }).map((a) => a.join(''));
const anyText = fc.oneof(trickyText, fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 }));
const removable = fc.constantFrom(
  ...' \t\n\r\u00a0\u2003\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad.,;:!?…~·"\'()[]「」『』《》—–-*★☆♡※^°+=$₩%@#\u0007',
);

/** Inserts removable characters at random code-point boundaries. */
const withInsertions = (text: string) => {
  const chars = [...text];
  return fc.array(fc.tuple(fc.nat({ max: chars.length }), removable), { maxLength: 10 }).map((insertions) => {
    const out = [...chars];
    for (const [at, char] of insertions.sort((a, b) => b[0] - a[0])) out.splice(at, 0, char);
    return out.join('');
  });
};

describe('normaliseForShingling', () => {
  it('applies NFKC, folds case and removes whitespace, punctuation, symbols and controls', () => {
    expect(norm('Ｋ-POP, 안녕 하세요!')).toBe('kpop안녕하세요');
    expect(norm('① ⑴ ﬁne ㈜')).toBe('11fine'); // ㈜ is a symbol (So)
    expect(norm('αͺ α ͺ')).toBe('ᾳᾳ');
    expect(norm('ΟΔΟΣ ΟΔΟΣ')).toBe(norm('ΟΔΟΣΟΔΟΣ'));
    expect(norm('ΟΔΟΣ')).toBe('οδοσ');
    expect(norm('CAFE\u0301 café')).toBe('cafécafé');
    expect(norm('ㅋㅋㅋ ^^ ~~ ★')).toBe('\u110f\u110f\u110f');
    expect(norm('ㅎㅏㄴ')).toBe('하\u1102');
    expect(norm('ㅎ ㅏ. ㄴ')).toBe('하\u1102');
    expect(norm('a\u200bb\u00adc\ufeffd')).toBe('abcd');
    expect(norm(' \n\t.,!?★ ')).toBe('');
    expect(norm('😀👍🏽')).toBe(''); // emoji and their modifiers are symbols (So, Sk)
    expect(norm('𝔘𝔫𝔦')).toBe('uni');
  });

  it('keeps Hangul syllables whole (NFKC, never NFD)', () => {
    const n = normaliseForShingling('안녕하세요 한국어');
    expect(n.codePoints.length).toBe(8);
    expect(n.text).toBe('안녕하세요한국어');
  });

  it('maps each character to its source span in the original text', () => {
    const original = 'Ｋ-POP, 안녕 하세요! ﬁ 😀x';
    const n = normaliseForShingling(original);
    expect(n.text).toBe('kpop안녕하세요fix');
    expect([...n.starts]).toEqual([0, 2, 3, 4, 7, 8, 10, 11, 12, 15, 15, 19]);
    expect([...n.ends]).toEqual([1, 3, 4, 5, 8, 9, 11, 12, 13, 16, 16, 20]);
    expect(original.slice(n.starts[4], n.ends[5])).toBe('안녕');
  });

  it('agrees with normalising the whole text at once, on text built from hard characters', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(norm(text)).toBe(normaliseChunk(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the whole-text normal form on every canonical composite, decomposed', () => {
    // Every primary composite (a character whose NFD differs and which NFC recomposes) recomposes when its NFD or NFKD
    // form is normalised chunk by chunk: this covers every pair the composition algorithm can join, including any a
    // newer Unicode adds, so a character that combines backward and is not known to the chunker fails here.
    const failures: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      const decomposed = char.normalize('NFD');
      if (decomposed === char || char.normalize('NFC') !== char) continue;
      for (const input of [decomposed, `x${decomposed}`, char.normalize('NFKD'), `ㄱ${decomposed}\u0316\u0301`]) {
        if (norm(input) !== normaliseChunk(input)) failures.push(`U+${cp.toString(16)} ${JSON.stringify(input)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('reaches a fixed point on every single character', () => {
    const failures: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      // A character that NFKC and lower-casing leave alone is its own fixed point (or removed).
      if (char.normalize('NFKC') === char && char.toLowerCase() === char) continue;
      const once = normaliseChunk(char);
      if (normaliseChunk(once) !== once || norm(once) !== once) failures.push(`U+${cp.toString(16)}`);
    }
    expect(failures).toEqual([]);
  });

  it('lets no character with a non-zero combining class end a chunk', () => {
    // A character with ccc ≠ 0 reorders with the marks around it: 'a' + U+0301 (230) + c moves c before U+0301 when
    // ccc(c) < 230, and 'a' + c + U+0316 (220) moves it after when ccc(c) > 220. Either must survive chunking.
    const failures: string[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      const nfd = c.normalize('NFD');
      for (const [before, after] of [
        ['a\u0301', ''],
        ['a', '\u0316'],
      ]) {
        const input = before + c + after;
        if (input.normalize('NFD') === before + nfd + after) continue; // nothing reorders or composes here
        if (norm(input) !== normaliseChunk(input)) failures.push(`U+${cp.toString(16)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = norm(text);
        expect(norm(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  it('ignores whitespace, punctuation, symbols and controls inserted anywhere', () => {
    fc.assert(
      fc.property(
        anyText.chain((text) => fc.tuple(fc.constant(text), withInsertions(text))),
        ([text, changed]) => {
          expect(norm(changed)).toBe(norm(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives the same string for re-spaced and re-punctuated Korean and English', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const korean = koreanText(seed, 3000);
      expect(norm(respace(korean, seed, { dropSpaces: 0.3, addSpaces: 0.05 }))).toBe(norm(korean));
      expect(norm(respace(korean, seed, { dropSpaces: 1, addSpaces: 0.5 }))).toBe(norm(korean));
      expect(norm(repunctuate(korean, seed, 0.1))).toBe(norm(korean));
      const english = englishText(seed, 3000);
      expect(norm(repunctuate(respace(english, seed), seed))).toBe(norm(english));
      expect(norm(english.toUpperCase())).toBe(norm(english));
    }
  });

  it('maps every character to a source span that produces it', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const n = normaliseForShingling(text);
        expect(n.starts.length).toBe(n.codePoints.length);
        expect(n.ends.length).toBe(n.codePoints.length);
        for (let i = 0; i < n.codePoints.length; i++) {
          expect(n.starts[i]).toBeLessThan(n.ends[i]!);
          if (i > 0) expect(n.starts[i]).toBeGreaterThanOrEqual(n.starts[i - 1]!);
          const produced = [...normaliseChunk(text.slice(n.starts[i], n.ends[i]))].map((c) => c.codePointAt(0));
          expect(produced).toContain(n.codePoints[i]);
        }
        expect(stringFromCodePoints(n.codePoints)).toBe(n.text);
      }),
      { numRuns: 3000 },
    );
  });

  it('iterates by code point and normalises long texts', () => {
    const n = normaliseForShingling('𝔘'.repeat(5000) + '\ud800x');
    expect(n.codePoints.length).toBe(5001); // the lone surrogate is removed
    expect(n.text).toBe('u'.repeat(5000) + 'x');
    expect(n.starts[4999]).toBe(9998);
    expect(normaliseForShingling('ﷺ'.repeat(3000)).codePoints.length).toBe(45_000); // NFKC expands 15-fold
  });
});
