import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matcher } from '../../src/match/matcher.js';
import { openSnapshot } from '../../src/snapshot/open-snapshot.js';
import { SnapshotIndex } from '../../src/snapshot/snapshot-index.js';
import { writeSnapshot } from '../../src/snapshot/write-snapshot.js';
import { proseText, tempDir, testKey, textWork } from '../support.js';

const temp = tempDir('heoga-matcher-');
let index: SnapshotIndex;
let matcher: Matcher;

// 40 registered works of about 3,000 characters each; w-0 also has URL identifiers.
const texts = Array.from({ length: 40 }, (_, i) => proseText(100 + i, 500));

beforeAll(async () => {
  const works = texts.map((text, i) =>
    textWork(`w-${i}`, text, undefined, {
      identifiers:
        i === 0
          ? [
              { scheme: 'url', value: 'https://news.example/2026/story' },
              { scheme: 'url-prefix', value: 'https://books.example/' },
            ]
          : i === 1
            ? [{ scheme: 'url-prefix', value: 'https://books.example/series/' }]
            : [],
    }),
  );
  const path = join(temp.dir, 'index.heoga');
  await writeSnapshot(works, path, { ...testKey(), registry: { name: 'test' } });
  index = SnapshotIndex.attach(openSnapshot(path));
  matcher = new Matcher(index);
});
afterAll(() => {
  index.close();
  temp.remove();
});

const only = (found: Map<number, { method: string }>) => [...found.entries()].map(([w, m]) => [w, m.method]);

describe('Matcher', () => {
  it('finds an exact copy by its SHA-256', () => {
    const { matches } = matcher.matchText(texts[3]!);
    expect(only(matches)).toEqual([[3, 'sha256']]);
    expect(only(matcher.matchSha256(createHash('sha256').update(texts[3]!).digest('hex')))).toEqual([[3, 'sha256']]);
  });

  it('finds a re-spaced, re-cased copy by its normalised SHA-256', () => {
    const respaced = texts[5]!.toUpperCase().replace(/ /g, '  \n');
    expect(only(matcher.matchText(respaced).matches)).toEqual([[5, 'text-sha256']]);
  });

  it('finds a lightly edited copy through MinHash LSH', () => {
    const words = texts[7]!.split(' ');
    for (let i = 0; i < words.length; i += 40) words[i] = 'changed';
    const { matches } = matcher.matchText(words.join(' '));
    const match = matches.get(7);
    expect(match?.method).toBe('minhash');
    expect(match!.score).toBeGreaterThan(0.6);
    expect(matches.size).toBe(1);
  });

  it('finds excerpts of 20 % and 5 % inside unrelated text, with the span', () => {
    const work = texts[9]!;
    for (const share of [0.2, 0.05]) {
      const excerpt = work.slice(Math.floor(work.length * 0.4), Math.floor(work.length * (0.4 + share)));
      const filler = proseText(9999, 300);
      const document = `${filler} ${excerpt} ${filler.slice(0, 500)}`;
      const { matches } = matcher.matchText(document);
      const match = matches.get(9);
      expect(match?.method).toBe('containment');
      expect(match!.span!.unit).toBe('chars');
      // The span covers the excerpt, give or take the edges of a k-gram window.
      const start = filler.length + 1;
      expect(Math.abs(match!.span!.start - start)).toBeLessThan(40);
      expect(Math.abs(match!.span!.end - (start + excerpt.length))).toBeLessThan(40);
      expect(matches.size).toBe(1);
    }
  });

  it('finds nothing in unrelated text', () => {
    for (let seed = 5000; seed < 5020; seed++) expect(matcher.matchText(proseText(seed, 600)).matches.size).toBe(0);
  });

  it('matches URLs exactly and by the longest registered prefix', () => {
    expect(only(matcher.matchUrl('https://NEWS.example/2026/story'))).toEqual([[0, 'url']]);
    expect(only(matcher.matchUrl('https://books.example/poems/1'))).toEqual([[0, 'url-prefix']]);
    // w-1's prefix is longer, so it wins over w-0's.
    expect(only(matcher.matchUrl('https://books.example/series/2/ch1'))).toEqual([[1, 'url-prefix']]);
    expect(matcher.matchUrl('https://elsewhere.example/').size).toBe(0);
    expect(matcher.matchUrl('not a url').size).toBe(0);
  });

  it('returns no match for text with nothing left after normalisation', () => {
    expect(matcher.matchText('  \n\t ').matches.size).toBe(0);
  });
});
