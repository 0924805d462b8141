import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { koreanText, repunctuate, respace } from '../../../test/text-corpus.js';
import { InvalidInputError } from '../../errors.js';
import { fingerprintText } from './fingerprint-text.js';
import { estimateJaccard, minhash } from './minhash.js';
import { normaliseForShingling } from './normalise-for-shingling.js';
import { parseTextFingerprint, serialiseTextFingerprints } from './serialise-text-fingerprint.js';
import { textDigests } from './text-digests.js';
import { winnow } from './winnow.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.code;
    throw error;
  }
  return undefined;
}

describe('textDigests', () => {
  it('hashes the bytes as given and the normalised text as UTF-8', () => {
    expect(textDigests(utf8('abc'))).toEqual({
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', // FIPS 180-2 B.1
      normalisedSha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    const spaced = textDigests(utf8('\ufeff안녕 하세요, ＡＢＣ! 😀𝔘'));
    expect(spaced.sha256).toBe(sha256Hex(utf8('\ufeff안녕 하세요, ＡＢＣ! 😀𝔘')));
    expect(spaced.normalisedSha256).toBe(sha256Hex('안녕하세요abcu'));
    expect(textDigests(utf8(' ')).normalisedSha256).toBe(sha256Hex(''));
  });

  it('gives one normalised digest to every re-spaced and re-punctuated copy', () => {
    const text = koreanText(9, 3000);
    const digest = textDigests(utf8(text)).normalisedSha256;
    for (let seed = 1; seed <= 5; seed++)
      expect(textDigests(utf8(repunctuate(respace(text, seed), seed, 0.1))).normalisedSha256).toBe(digest);
  });

  it('hashes astral characters as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        if (/\p{Cs}/u.test(text)) return;
        expect(textDigests(utf8(text)).normalisedSha256).toBe(sha256Hex(normaliseForShingling(text).text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('fingerprintText', () => {
  it('computes every fingerprint from the bytes, normalising once', () => {
    const text = koreanText(12, 2500);
    const bytes = utf8(text);
    const fp = fingerprintText(bytes);
    expect(fp.sha256).toBe(sha256Hex(bytes));
    expect(fp.normalisedSha256).toBe(textDigests(bytes).normalisedSha256);
    expect(fp.characters).toBe(normaliseForShingling(text).codePoints.length);
    expect(fp.minhash).toEqual(minhash(text));
    expect(fp.winnow).toEqual(winnow(text));
    const rows = serialiseTextFingerprints(fp);
    expect(rows.map((r) => r.algorithm)).toEqual([
      'sha256',
      'sha256-text-nfkc/1',
      'minhash-oph-c5-128/1',
      'winnow-c13-w16/1',
    ]);
    for (const row of rows) expect(parseTextFingerprint(row.algorithm, row.value).ok).toBe(true);
  });

  it('tells the same wording apart from the same file', () => {
    const text = koreanText(13, 2000);
    const a = fingerprintText(utf8(text));
    const b = fingerprintText(utf8(`\ufeff${respace(text, 1)}`));
    expect(a.sha256).not.toBe(b.sha256);
    expect(a.normalisedSha256).toBe(b.normalisedSha256);
    expect(estimateJaccard(a.minhash, b.minhash)).toBe(1);
  });

  it('refuses bytes that are not UTF-8 and texts with nothing left after normalisation', () => {
    expect(codeOf(() => fingerprintText(Uint8Array.of(0x61, 0xff)))).toBe('TEXT_INVALID');
    expect(codeOf(() => fingerprintText(utf8(' \n\t… ★ ^^ ')))).toBe('TEXT_INVALID');
    expect(codeOf(() => fingerprintText(new Uint8Array(0)))).toBe('TEXT_INVALID');
    expect(fingerprintText(utf8('가')).characters).toBe(1);
  });

  it('on any bytes: fingerprints or TEXT_INVALID, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 60 }), fc.string({ maxLength: 60 }).map(utf8)), (bytes) => {
        const code = codeOf(() => fingerprintText(bytes));
        expect(code === undefined || code === 'TEXT_INVALID').toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
