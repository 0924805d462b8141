import { describe, expect, it } from 'vitest';
import {
  createRandom,
  embed,
  englishText,
  excerptOf,
  koreanText,
  repunctuate,
  respace,
} from '../../../test/text-corpus.js';
import { InvalidInputError } from '../../errors.js';
import { findContainment, type ContainmentResult } from './find-containment.js';
import { normaliseForShingling } from './normalise-for-shingling.js';
import { winnow } from './winnow.js';

const norm = (text: string): string => normaliseForShingling(text).text;
const WORKS = [
  ['Korean', koreanText(101, 20_000), koreanText],
  ['English', englishText(102, 20_000), englishText],
] as const;

/** Share of [start, end) of the document that matching spans cover. */
function recovered(result: ContainmentResult, start: number, end: number): number {
  let covered = 0;
  for (let at = start; at < end; at++)
    if (result.spans.some((span) => span.documentStart <= at && at < span.documentEnd)) covered++;
  return covered / (end - start);
}

describe('findContainment', () => {
  for (const [language, work, generate] of WORKS) {
    const registered = winnow(work);
    const workText = norm(work);

    it.each([0.05, 0.2, 0.5])(`finds a %s excerpt of a ${language} work inside an unrelated document`, (fraction) => {
      const excerpt = excerptOf(work, 0.3, fraction);
      const host = generate(7000 + Math.round(fraction * 100), 8000);
      const document = embed(host, excerpt, 0.4);
      const result = findContainment(registered, document.text);
      expect(result.spans.length).toBeGreaterThanOrEqual(1);
      expect(recovered(result, document.start, document.end)).toBeGreaterThan(0.95);
      const excerptStart = workText.indexOf(norm(excerpt));
      expect(excerptStart).toBeGreaterThan(0);
      for (const span of result.spans) {
        // Inside the excerpt, and the same characters on both sides: the offsets are right in both texts.
        expect(span.documentStart).toBeGreaterThanOrEqual(document.start);
        expect(span.documentEnd).toBeLessThanOrEqual(document.end);
        expect(norm(document.text.slice(span.documentStart, span.documentEnd))).toBe(
          workText.slice(span.workStart, span.workEnd),
        );
        expect(span.containment).toBe(1);
      }
      expect(result.spans[0]!.workStart - excerptStart).toBeLessThan(30);
      const excerptShare = norm(excerpt).length / result.documentCharacters;
      expect(result.score).toBeGreaterThan(excerptShare * 0.95);
      expect(result.score).toBeLessThanOrEqual(excerptShare + 0.001);
      expect(result.workCoverage).toBeGreaterThan(fraction * 0.9);
      expect(result.workCoverage).toBeLessThan(fraction * 1.1);
    });

    it(`finds a ${language} excerpt copied with small edits as one stretch`, () => {
      const random = createRandom(5);
      const excerpt = excerptOf(work, 0.5, 0.2)
        .split(' ')
        .map((word) => (random() < 0.03 ? generate(Math.floor(random() * 1e6), 3).split(' ')[0]! : word))
        .join(' ');
      const document = embed(generate(8001, 6000), excerpt, 0.5);
      const result = findContainment(registered, document.text);
      expect(recovered(result, document.start, document.end)).toBeGreaterThan(0.85);
      expect(result.spans.length).toBeLessThanOrEqual(3);
    });

    it(`matches nothing in unrelated ${language} and mixed documents, nor a shared stock phrase`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        for (const document of [koreanText(seed, 5000), englishText(seed + 50, 5000)])
          expect(findContainment(registered, document).spans).toEqual([]);
        const phraseLength = 28 + (seed % 11); // 28..38 characters: shares a fingerprint, but is no excerpt
        const at = Math.floor(createRandom(seed)() * (workText.length - 100));
        const phrase = workText.slice(at, at + phraseLength);
        const document = embed(generate(seed + 9000, 3000), phrase, 0.5).text;
        const result = findContainment(registered, document);
        expect(result.spans, `phrase ${phrase}`).toEqual([]);
        expect(result.score).toBe(0);
      }
    });
  }

  it('finds re-spaced and re-punctuated Korean copies whole', () => {
    const [, work] = WORKS[0];
    const registered = winnow(work);
    for (const copy of [
      respace(work, 1, { dropSpaces: 0.3, addSpaces: 0.05 }),
      respace(work, 2, { dropSpaces: 1, addSpaces: 0 }),
      repunctuate(work, 3, 0.1),
      repunctuate(respace(work, 4), 5, 0.05),
    ]) {
      const result = findContainment(registered, copy);
      expect(result.score).toBeGreaterThan(0.99);
      expect(result.workCoverage).toBe(1);
      expect(result.spans).toHaveLength(1);
      // The first and last fingerprints are at most a window (16 characters, plus spaces and marks) from the ends.
      expect(result.spans[0]!.documentStart).toBeLessThan(40);
      expect(result.spans[0]!.documentEnd).toBeGreaterThan(copy.length - 40);
    }
  });

  it('finds a work quoted twice and reports each place', () => {
    const [, work] = WORKS[1];
    const excerpt = excerptOf(work, 0.1, 0.05);
    const first = embed(englishText(31, 4000), excerpt, 0.2);
    const second = embed(first.text, excerptOf(work, 0.7, 0.05), 0.8);
    const result = findContainment(winnow(work), second.text);
    expect(result.spans).toHaveLength(2);
    expect(result.spans[0]!.workStart).toBeLessThan(result.spans[1]!.workStart);
    expect(recovered(result, first.start, first.end)).toBeGreaterThan(0.95);
    expect(recovered(result, second.start, second.end)).toBeGreaterThan(0.95);
  });

  it('places a refrain the work repeats, and gives up quickly on a text that is one loop', () => {
    const refrain = koreanText(55, 300);
    const work = koreanText(56, 3000) + refrain.repeat(3) + koreanText(57, 3000);
    const document = embed(koreanText(58, 3000), refrain, 0.5);
    const result = findContainment(winnow(work), document.text);
    expect(result.spans).toHaveLength(3); // one per place in the work
    expect(recovered(result, document.start, document.end)).toBeGreaterThan(0.9);
    const loop = '가나다라마바사아자차카타파하'.repeat(5000);
    expect(findContainment(winnow(loop), loop).spans).toEqual([]); // every hash occurs hundreds of times
  });

  it('returns nothing for empty inputs and refuses inconsistent fingerprints', () => {
    const registered = winnow(koreanText(1, 2000));
    expect(findContainment(registered, '').spans).toEqual([]);
    expect(findContainment(winnow(''), koreanText(1, 2000)).spans).toEqual([]);
    const broken = { ...registered, hashLow: registered.hashLow.subarray(1) };
    const reversed = { ...registered, positions: registered.positions.slice().reverse() };
    for (const bad of [broken, reversed]) {
      let caught: unknown;
      try {
        findContainment(bad, 'text');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidInputError);
      expect((caught as InvalidInputError).code).toBe('FINGERPRINT_INVALID');
    }
  });
});
