import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRslLicenseLinks, parseLinkHeader } from './link-header.js';

describe('parseLinkHeader (RFC 8288)', () => {
  it('reads the RSL discovery example', () => {
    const { links, issues } = parseLinkHeader(
      '<https://example.com/license.xml>; rel="license"; type="application/rsl+xml"',
    );
    expect(issues).toEqual([]);
    expect(links).toEqual([
      {
        target: 'https://example.com/license.xml',
        rel: ['license'],
        type: 'application/rsl+xml',
        params: { rel: 'license', type: 'application/rsl+xml' },
      },
    ]);
  });

  it('reads several links, token and quoted params, several rel values, and commas inside quotes', () => {
    const { links } = parseLinkHeader([
      '<https://a.example/x>; rel=preload; as=style, <https://a.example/l.xml>;REL="Alternate License";title="a, b; c"',
      '</rel>; rel=license',
    ]);
    expect(links.map((l) => l.target)).toEqual(['https://a.example/x', 'https://a.example/l.xml', '/rel']);
    expect(links[1]!.rel).toEqual(['alternate', 'license']);
    expect(links[1]!.params.title).toBe('a, b; c');
    expect(links[0]!.params.as).toBe('style');
  });

  it('keeps the first occurrence of a repeated parameter and strips media-type parameters', () => {
    const { links } = parseLinkHeader('<u>; rel=license; rel=next; type="Application/RSL+XML; charset=utf-8"');
    expect(links[0]!.rel).toEqual(['license']);
    expect(links[0]!.type).toBe('application/rsl+xml');
  });

  it('skips malformed links with an issue and keeps the rest', () => {
    const { links, issues } = parseLinkHeader('garbage, <https://ok.example/>; rel=license, <u>; rel="open');
    expect(links.map((l) => l.target)).toEqual(['https://ok.example/']);
    expect(issues).toHaveLength(2);
  });

  it('treats __proto__ as an ordinary parameter name', () => {
    const { links } = parseLinkHeader('<u>; __proto__=x');
    expect(Object.getPrototypeOf(links[0]!.params)).toBe(Object.prototype);
    expect(Object.hasOwn(links[0]!.params, '__proto__')).toBe(true);
  });

  it('does not read beyond 16 KiB', () => {
    expect(parseLinkHeader(`<u>; rel=license, ${' '.repeat(16 * 1024)}`).links).toEqual([]);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'<>;=", \trelicns/ab\\'.split('')) }),
        (s) => void parseLinkHeader(s),
      ),
    );
    fc.assert(fc.property(fc.array(fc.string()), (s) => void parseLinkHeader(s)));
  });

  it('parse(write(x)) gives back the links', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    const link = fc.record({
      target: fc.webUrl(),
      rel: fc.uniqueArray(token, { minLength: 1, maxLength: 3 }),
      title: fc.string({ unit: fc.constantFrom(...'ab ,;"\\='.split('')) }),
    });
    fc.assert(
      fc.property(fc.array(link, { maxLength: 4 }), (ls) => {
        const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
        const text = ls.map((l) => `<${l.target}>; rel=${quote(l.rel.join(' '))}; title=${quote(l.title)}`).join(', ');
        const read = parseLinkHeader(text);
        expect(read.issues).toEqual([]);
        expect(read.links.map((l) => ({ target: l.target, rel: l.rel, title: l.params.title }))).toEqual(ls);
      }),
    );
  });
});

describe('findRslLicenseLinks', () => {
  it('keeps rel=license links typed application/rsl+xml or untyped, as absolute http(s) URLs', () => {
    const { links } = parseLinkHeader(
      [
        '<https://a.example/l.xml>; rel="license"; type="application/rsl+xml"',
        '<https://creativecommons.org/licenses/by/4.0/>; rel=license; type="text/html"',
        '</rsl.xml>; rel="license"',
        '<https://a.example/l.xml>; rel=license',
        '<https://a.example/other.xml>; rel=license; anchor="#x"',
        '<ftp://a.example/l.xml>; rel=license',
        '<https://a.example/next>; rel=next',
      ].join(', '),
    );
    expect(findRslLicenseLinks(links)).toEqual(['https://a.example/l.xml']);
    expect(findRslLicenseLinks(links, 'https://b.example/page')).toEqual([
      'https://a.example/l.xml',
      'https://b.example/rsl.xml',
    ]);
  });
});
