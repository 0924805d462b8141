import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IDENTIFIER_LIMITS,
  IDENTIFIER_SCHEMES,
  detectIdentifier,
  formatIdentifier,
  isIdentifierScheme,
  parseIdentifier,
  urlMatchesPrefix,
  type Identifier,
  type IdentifierScheme,
} from '../index.js';
import { mod37x36CheckCharacter } from './check-digits.js';

const runs = { numRuns: 300 };

function parsed(scheme: IdentifierScheme, text: string): Identifier {
  const result = parseIdentifier(scheme, text);
  if (!result.ok)
    throw new Error(`${scheme} ${JSON.stringify(text)}: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.value;
}

function rejects(scheme: IdentifierScheme, text: string): boolean {
  return !parseIdentifier(scheme, text).ok;
}

// Naive reference check digits, written from the standards' formulas independently of check-digits.ts.
const digitsOf = (text: string): number[] => [...text].map(Number);
const ref = {
  isbn10: (nine: string): string => {
    const sum = digitsOf(nine).reduce((s, d, i) => s + d * (10 - i), 0);
    const c = (11 - (sum % 11)) % 11;
    return c === 10 ? 'X' : String(c);
  },
  ean13: (twelve: string): string => {
    const sum = digitsOf(twelve).reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
    return String((10 - (sum % 10)) % 10);
  },
  issn: (seven: string): string => {
    const sum = digitsOf(seven).reduce((s, d, i) => s + d * (8 - i), 0);
    const c = (11 - (sum % 11)) % 11;
    return c === 10 ? 'X' : String(c);
  },
  iswc: (nine: string): string => {
    const sum = 1 + digitsOf(nine).reduce((s, d, i) => s + d * (i + 1), 0);
    return String((10 - (sum % 10)) % 10);
  },
  // ISO/IEC 7064 MOD 37,36 by brute force: the one character that makes the full string's checksum 1.
  mod37x36: (text: string): string => {
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const checksum = (s: string): number =>
      [...s].reduce((acc, ch) => ((((acc || 36) * 2) % 37) + alphabet.indexOf(ch)) % 36, 18);
    return [...alphabet].find((c) => checksum(text + c) === 1)!;
  },
};

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: n, maxLength: n });
const upper = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: n, maxLength: n });
const alnum = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: n, maxLength: n });

const isbn13 = fc.tuple(fc.constantFrom('978', '979'), digits(9)).map(([p, d]) => `${p}${d}${ref.ean13(p + d)}`);
const isbn10 = digits(9).map((d) => d + ref.isbn10(d));
const issn = digits(7).map((d) => d + ref.issn(d));
const iswc = digits(9).map((d) => `T${d}${ref.iswc(d)}`);
const isrc = fc.tuple(upper(2), alnum(3), digits(2), digits(5)).map((parts) => parts.join('-'));
const isan = fc.tuple(hex(16), fc.option(hex(8), { nil: undefined })).map(([root, version]) => {
  const first = root + ref.mod37x36(root);
  return version === undefined ? first : `${first}${version}${ref.mod37x36(root + version)}`;
});
const uci = fc
  .tuple(
    upper(1),
    digits(3),
    fc.string({ unit: fc.constantFrom(..."ABCxyz019()+,-.=@;$_!*'", '%2f', '%C3'), minLength: 1, maxLength: 30 }),
    fc.option(fc.constantFrom('C1', 'R2-F3', 'C1-R2-F3'), { nil: undefined }),
  )
  .map(([letter, code, instance, qualifier]) => `${letter}${code}-${instance}${qualifier ? `:${qualifier}` : ''}`);
const kcc = fc
  .tuple(upper(1), fc.integer({ min: 1957, max: 9999 }), digits(6))
  .map(([letter, year, serial]) => `${letter}-${year}-${serial}`);
const url = fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true, withFragments: true });

const generated: ReadonlyArray<readonly [IdentifierScheme, fc.Arbitrary<string>]> = [
  ['isbn', isbn13],
  ['isbn', isbn10],
  ['issn', issn],
  ['isrc', isrc],
  ['iswc', iswc],
  ['isan', isan],
  ['uci', uci],
  ['kcc', kcc],
  ['url', url],
  ['url-prefix', url],
];

describe('identifier schemes', () => {
  it('lists the schemes and recognises only them', () => {
    expect(IDENTIFIER_SCHEMES).toEqual(['isbn', 'issn', 'isrc', 'iswc', 'isan', 'uci', 'kcc', 'url', 'url-prefix']);
    expect(isIdentifierScheme('isan')).toBe(true);
    expect(isIdentifierScheme('doi')).toBe(false);
    expect(isIdentifierScheme(undefined)).toBe(false);
  });
});

describe('ISBN', () => {
  it.each([
    ['978-0-306-40615-7', '9780306406157'],
    ['ISBN 978-0-306-40615-7', '9780306406157'],
    ['ISBN-13: 978 0 306 40615 7', '9780306406157'],
    ['urn:isbn:9780306406157', '9780306406157'],
    ['  9780306406157 ', '9780306406157'],
  ])('parses the ISBN-13 %j', (text, value) => {
    expect(parsed('isbn', text)).toEqual({ scheme: 'isbn', value, display: value });
  });

  it.each([
    ['0-306-40615-2', '9780306406157', '0306406152'],
    ['ISBN-10: 0306406152', '9780306406157', '0306406152'],
    ['ISBN 0-8044-2957-X', '9780804429573', '080442957X'],
    ['0-8044-2957-x', '9780804429573', '080442957X'],
    ['ISBN 1-56619-909-3', '9781566199094', '1566199093'],
  ])('converts the ISBN-10 %j to ISBN-13 and keeps it', (text, value, isbn10) => {
    expect(parsed('isbn', text)).toEqual({ scheme: 'isbn', value, display: isbn10, isbn10 });
  });

  it('keeps an ISBN-10 that starts with 10 or 13 after an ISBN label', () => {
    const [nine13, nine10] = ['130640615', '103064061'];
    expect(parsed('isbn', `ISBN ${nine13}${ref.isbn10(nine13)}`).isbn10).toBe(nine13 + ref.isbn10(nine13));
    expect(parsed('isbn', `ISBN ${nine10}${ref.isbn10(nine10)}`).isbn10).toBe(nine10 + ref.isbn10(nine10));
  });

  it.each([
    ['978-0-306-40615-8', 'check character is 7, not 8'],
    ['0-306-40615-3', 'check character is 2, not 3'],
    ['977-0-306-40615-0', 'starts with 978 or 979'],
    ['978-0-306-40615', 'expected an ISBN'],
    ['978--0-306-40615-7', 'expected an ISBN'],
    ['X306406152', 'expected an ISBN'],
    ['9780306406157X', 'expected an ISBN'],
  ])('rejects %j', (text, message) => {
    const result = parseIdentifier('isbn', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain(message);
  });
});

describe('ISSN', () => {
  it.each([
    ['0317-8471', '03178471', '0317-8471'],
    ['ISSN 2049-3630', '20493630', '2049-3630'],
    ['issn: 0378-5955', '03785955', '0378-5955'],
    ['2434-561x', '2434561X', '2434-561X'],
    ['03178471', '03178471', '0317-8471'],
  ])('parses %j', (text, value, display) => {
    expect(parsed('issn', text)).toEqual({ scheme: 'issn', value, display });
  });

  it.each(['0317-8472', '0317-847', '0317--8471', '03178471X', 'X317-8471'])('rejects %j', (text) => {
    expect(rejects('issn', text)).toBe(true);
  });
});

describe('ISRC', () => {
  it.each([
    ['US-S1Z-99-00001', 'USS1Z9900001', 'US-S1Z-99-00001'],
    ['ISRC us-s1z-99-00001', 'USS1Z9900001', 'US-S1Z-99-00001'],
    ['USS1Z9900001', 'USS1Z9900001', 'US-S1Z-99-00001'],
    ['ISRC: KR-A01-23-45678', 'KRA012345678', 'KR-A01-23-45678'],
  ])('parses %j', (text, value, display) => {
    expect(parsed('isrc', text)).toEqual({ scheme: 'isrc', value, display });
  });

  it('reads an Icelandic ISRC whose registrant starts with RC as a code, not a label', () => {
    expect(parsed('isrc', 'ISRC10012345').value).toBe('ISRC10012345');
  });

  it.each(['U1-S1Z-99-00001', 'US-S1Z-9A-00001', 'US-S1Z-99-0001', 'US-S1Z-99-000001', 'US_S1Z_99_00001'])(
    'rejects %j',
    (text) => {
      expect(rejects('isrc', text)).toBe(true);
    },
  );
});

describe('ISWC', () => {
  it.each([
    ['T-034.524.680-1', 'T0345246801', 'T-034.524.680-1'],
    ['ISWC T-000.000.001-0', 'T0000000010', 'T-000.000.001-0'],
    ['T0345246801', 'T0345246801', 'T-034.524.680-1'],
    ['t-034524680-1', 'T0345246801', 'T-034.524.680-1'],
  ])('parses %j', (text, value, display) => {
    expect(parsed('iswc', text)).toEqual({ scheme: 'iswc', value, display });
  });

  it.each(['T-034.524.680-2', 'T-034.524.68-1', 'X-034.524.680-1', 'T-034,524,680-1', 'T-0345-24680-1'])(
    'rejects %j',
    (text) => {
      expect(rejects('iswc', text)).toBe(true);
    },
  );

  it('inherits the standard weighting, which cannot see +2 in the 5th digit (weight 5)', () => {
    expect(parsed('iswc', 'T-034.544.680-1').value).toBe('T0345446801');
  });
});

describe('ISAN', () => {
  // Microsoft's ISAN attribute documentation, python-stdnum's doctests, and an SCTE-35 test suite.
  it.each([
    ['0000-3BAB-9352-0000-G', '0000-3BAB-9352-0000-G'],
    ['00003BAB93520000G', '0000-3BAB-9352-0000-G'],
    ['0000 3BAB 9352 0000 G', '0000-3BAB-9352-0000-G'],
    ['ISAN 0000-3BAB-9352-0000-G-0000-0000-Q', '0000-3BAB-9352-0000-G-0000-0000-Q'],
    ['0000-0001-8CFA-0000-I-0000-0000-K', '0000-0001-8CFA-0000-I-0000-0000-K'],
    ['URN:ISAN:0000-0000-D07A-0090-Q-0000-0000-X', '0000-0000-D07A-0090-Q-0000-0000-X'],
    ['0000-0001-8947-0000-8-0000-0000-D', '0000-0001-8947-0000-8-0000-0000-D'],
    ['1881-66c7-3420-6541-y-9f3a-0245-o', '1881-66C7-3420-6541-Y-9F3A-0245-O'],
    ['B159-D8FA-0124-0000-K', 'B159-D8FA-0124-0000-K'],
  ])('parses %j', (text, value) => {
    expect(parsed('isan', text)).toEqual({ scheme: 'isan', value, display: value });
  });

  it.each([
    ['0000-0001-8CFA-0000-A-0000-0000-K', 'check character is I, not A'],
    ['0000-0001-8CFA-0000-I-0000-0000-L', 'version check character is K, not L'],
    ['0000-3BAB-9352-0000', 'expected an ISAN'],
    ['0000-3BAB-9352-0000-G-0000-0000', 'expected an ISAN'],
    ['0000-3BAG-9352-0000-G', 'expected an ISAN'],
  ])('rejects %j', (text, message) => {
    const result = parseIdentifier('isan', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.message).toContain(message);
  });

  it('computes ISO/IEC 7064 MOD 37,36 as python-stdnum does', () => {
    expect(mod37x36CheckCharacter('A12425GABC1234002')).toBe('M');
  });
});

describe('UCI', () => {
  it.each([
    ['I700-2987098', 'I700-2987098'],
    ['urn:uci:I700-2987098', 'I700-2987098'],
    ['UCI G704-001526.2012.14.2.005', 'G704-001526.2012.14.2.005'],
    ['UCI(KEPA): I410-ECN-0101-2015-300-000591089', 'I410-ECN-0101-2015-300-000591089'],
    ['G704:ABC+D1-x%2fy:C1-R2', 'G704:ABC+D1-x%2Fy:C1-R2'],
  ])('parses %j', (text, value) => {
    expect(parsed('uci', text)).toEqual({ scheme: 'uci', value, display: value });
  });

  it.each(['I700', 'I700-', '-2987098', 'I700-298/7098', 'I700-2987098:X1', 'I700-29%2', 'I7 00-1', 'I700-한국'])(
    'rejects %j',
    (text) => {
      expect(rejects('uci', text)).toBe(true);
    },
  );
});

describe('Korea Copyright Commission registration numbers', () => {
  // Numbers as printed by their holders in public repositories.
  it.each([
    ['C-2016-023325', 'C-2016-023325'],
    ['제C-2020-026202호', 'C-2020-026202'],
    ['저작권 등록번호: 제C-2025-051228호', 'C-2025-051228'],
    ['c-2026-015049', 'C-2026-015049'],
  ])('parses %j', (text, value) => {
    expect(parsed('kcc', text)).toEqual({ scheme: 'kcc', value, display: value });
  });

  it.each(['C-2020-12345', 'C-2020-0123456', 'C2020012345', 'CC-2020-012345', 'C-1956-012345', 'C-20-012345'])(
    'rejects %j',
    (text) => {
      expect(rejects('kcc', text)).toBe(true);
    },
  );
});

describe('URLs', () => {
  it.each([
    ['HTTPS://Example.COM:443/a/b?x=1#frag', 'https://example.com/a/b?x=1'],
    ['http://example.com:80', 'http://example.com/'],
    ['http://example.com:8080/a/../b/./c', 'http://example.com:8080/b/c'],
    ['https://bücher.example/ä', 'https://xn--bcher-kva.example/%C3%A4'],
    ['https://example.com/%7euser/%2f%41?q=%3d%7E#', 'https://example.com/~user/%2FA?q=%3D~'],
    ['https://example.com/?', 'https://example.com/'],
    ['https://[::1]:8443/x', 'https://[::1]:8443/x'],
  ])('normalises %j', (text, value) => {
    expect(parsed('url', text)).toEqual({ scheme: 'url', value, display: value });
    expect(parsed('url-prefix', text)).toEqual({ scheme: 'url-prefix', value, display: value });
  });

  it.each([
    'ftp://example.com/',
    'javascript:alert(1)',
    'example.com/page',
    '//example.com/page',
    'http:example.com',
    '/relative',
    'https://user:secret@example.com/',
    'https://trusted.example@evil.example/',
    'https://exa mple.com/',
    'https://example.com/a\nb',
    'https://',
    `https://example.com/${'é'.repeat(400)}`,
  ])('rejects %j', (text) => {
    expect(rejects('url', text)).toBe(true);
  });

  it('matches URL prefixes on normalised strings', () => {
    expect(urlMatchesPrefix('https://EXAMPLE.com:443/books/1#p2', 'https://example.com/books/')).toBe(true);
    expect(urlMatchesPrefix('https://example.com/bookshelf', 'https://example.com/books')).toBe(true);
    expect(urlMatchesPrefix('https://example.com/books/1', 'https://example.com')).toBe(true);
    expect(urlMatchesPrefix('https://example.com.evil.test/', 'https://example.com')).toBe(false);
    expect(urlMatchesPrefix('http://example.com/books/1', 'https://example.com/')).toBe(false);
    expect(urlMatchesPrefix('https://example.com/%7Ebob/a', 'https://example.com/~bob/')).toBe(true);
    expect(urlMatchesPrefix('not a url', 'https://example.com/')).toBe(false);
    expect(urlMatchesPrefix('https://example.com/', 'not a prefix')).toBe(false);
  });
});

describe('detectIdentifier', () => {
  it.each([
    ['978-0-306-40615-7', 'isbn', '9780306406157'],
    ['0-306-40615-2', 'isbn', '9780306406157'],
    ['0317-8471', 'issn', '03178471'],
    ['US-S1Z-99-00001', 'isrc', 'USS1Z9900001'],
    ['T-034.524.680-1', 'iswc', 'T0345246801'],
    ['0000-3BAB-9352-0000-G', 'isan', '0000-3BAB-9352-0000-G'],
    ['G704-001526.2012.14.2.005', 'uci', 'G704-001526.2012.14.2.005'],
    ['urn:uci:ab-1', 'uci', 'ab-1'],
    ['C-2020-026202', 'kcc', 'C-2020-026202'],
    ['https://example.com/x', 'url', 'https://example.com/x'],
  ])('detects %j as %s', (text, scheme, value) => {
    expect(detectIdentifier(text)).toMatchObject({ scheme, value });
  });

  it.each(['', 'hello', '12345', '978-0-306-40615-8', 'ab-1', 'x'.repeat(IDENTIFIER_LIMITS.maxText + 1)])(
    'gives undefined for %j',
    (text) => {
      expect(detectIdentifier(text)).toBeUndefined();
    },
  );
});

describe('identifier properties', () => {
  it('parse(format(x)) is x for generated valid identifiers, and detection finds x', () => {
    for (const [scheme, arbitrary] of generated) {
      fc.assert(
        fc.property(arbitrary, (text) => {
          const id = parsed(scheme, text);
          expect(parseIdentifier(scheme, formatIdentifier(id))).toEqual({ ok: true, value: id });
          expect(parseIdentifier(scheme, id.display)).toEqual({ ok: true, value: id });
          if (scheme !== 'url-prefix') expect(detectIdentifier(formatIdentifier(id))).toEqual(id);
        }),
        runs,
      );
    }
  });

  it('parsing is idempotent on the canonical value', () => {
    for (const [scheme, arbitrary] of generated) {
      fc.assert(
        fc.property(arbitrary, (text) => {
          const id = parsed(scheme, text);
          if (id.isbn10 === undefined) expect(parsed(scheme, id.value)).toEqual(id);
          else expect(parsed(scheme, id.value)).toEqual({ scheme, value: id.value, display: id.value });
        }),
        runs,
      );
    }
  });

  it('an ISBN-10 and its ISBN-13 have the same value', () => {
    fc.assert(
      fc.property(isbn10, (text) => {
        const twelve = `978${text.slice(0, 9)}`;
        expect(parsed('isbn', text).value).toBe(twelve + ref.ean13(twelve));
      }),
      runs,
    );
  });

  const changeOne = (valid: fc.Arbitrary<string>, positions: (text: string) => number[], alphabet: string) =>
    valid.chain((text) =>
      fc
        .tuple(fc.constantFrom(...positions(text)), fc.constantFrom(...alphabet))
        .filter(([i, c]) => text.charAt(i) !== c)
        .map(([i, c]) => ({ text, changed: text.slice(0, i) + c + text.slice(i + 1) })),
    );
  const allPositions = (text: string): number[] => [...text].map((_, i) => i);

  it('rejects any single-character change to a valid ISBN-13, ISBN-10 or ISSN', () => {
    const cases: ReadonlyArray<readonly [IdentifierScheme, fc.Arbitrary<{ text: string; changed: string }>]> = [
      ['isbn', changeOne(isbn13, allPositions, '0123456789')],
      ['isbn', changeOne(isbn10, (t) => allPositions(t).slice(0, 9), '0123456789')],
      ['isbn', changeOne(isbn10, () => [9], '0123456789X')],
      ['issn', changeOne(issn, (t) => allPositions(t).slice(0, 7), '0123456789')],
      ['issn', changeOne(issn, () => [7], '0123456789X')],
    ];
    for (const [scheme, arbitrary] of cases) {
      fc.assert(
        fc.property(arbitrary, ({ text, changed }) => {
          expect(parseIdentifier(scheme, text).ok).toBe(true);
          expect(parseIdentifier(scheme, changed).ok).toBe(false);
        }),
        runs,
      );
    }
  });

  it('rejects any single-digit change to an ISWC where the weight is prime to 10, and to its check digit', () => {
    // Digits 1, 3, 7 and 9 (weights 1, 3, 7, 9) and the check digit; string indices count the leading T.
    fc.assert(
      fc.property(
        changeOne(iswc, () => [1, 3, 7, 9, 10], '0123456789'),
        ({ text, changed }) => {
          expect(parseIdentifier('iswc', text).ok).toBe(true);
          expect(parseIdentifier('iswc', changed).ok).toBe(false);
        },
      ),
      runs,
    );
  });

  it('rejects any single-character change to a valid ISAN', () => {
    fc.assert(
      fc.property(changeOne(isan, allPositions, '0123456789ABCDEF'), ({ text, changed }) => {
        expect(parseIdentifier('isan', text).ok).toBe(true);
        expect(parseIdentifier('isan', changed).ok).toBe(false);
      }),
      runs,
    );
  });

  it('never throws, whatever the string', () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'0123456789Xx-. :TtISBNUCRFhtps/%제호C'), maxLength: 40 }),
      fc.webUrl().map((u) => u.toUpperCase()),
    );
    fc.assert(
      fc.property(anyText, fc.constantFrom(...IDENTIFIER_SCHEMES), anyText, (text, scheme, other) => {
        const result = parseIdentifier(scheme, text);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
        detectIdentifier(text);
        urlMatchesPrefix(text, other);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses oversized and non-string input without reading it', () => {
    const long = `978-0-306-40615-7${' '.repeat(IDENTIFIER_LIMITS.maxText)}`;
    expect(parseIdentifier('isbn', long).ok).toBe(false);
    expect(parseIdentifier('isbn', 42 as unknown as string).ok).toBe(false);
    expect(parseIdentifier('doi' as IdentifierScheme, '10.1000/1').ok).toBe(false);
    expect(detectIdentifier(null as unknown as string)).toBeUndefined();
  });
});
