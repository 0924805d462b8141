import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHtmlAttribute, extractHtmlHead } from './html-meta.js';

/** Escapes an attribute value the way an HTML serializer does for double-quoted values. */
const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

describe('extractHtmlHead', () => {
  it('reads robots, TDMRep and licence elements of a head (research/signals.md §1, §4, §6)', () => {
    const html = `<!doctype html><html><head>
      <meta charset="utf-8">
      <META NAME="robots" CONTENT="noai, noimageai">
      <meta name='tdm-reservation' content=1>
      <meta name="tdm-policy" content="https://example.com/policy.json?a=1&amp;b=2">
      <link rel="stylesheet license" type="application/rsl+xml; charset=utf-8" href=" /license.xml ">
      </head><body><meta name="robots" content="noindex"></body></html>`;
    const head = extractHtmlHead(html);
    expect(head.metas).toEqual([
      {},
      { name: 'robots', content: 'noai, noimageai' },
      { name: 'tdm-reservation', content: '1' },
      { name: 'tdm-policy', content: 'https://example.com/policy.json?a=1&b=2' },
    ]);
    expect(head.links).toEqual([{ rel: ['stylesheet', 'license'], href: '/license.xml', type: 'application/rsl+xml' }]);
    expect(head.truncated).toBe(false);
  });

  it('skips comments, scripts and attributes repeated later; stops at the body', () => {
    const html = `<head><!-- <meta name="robots" content="noai"> -->
      <script>document.write('<meta name="robots" content="noai">')</script>
      <meta name="robots" name="googlebot" content="noindex" content="noai">
      <p>text</p><meta name="robots" content="noai">`;
    expect(extractHtmlHead(html).metas).toEqual([{ name: 'robots', content: 'noindex' }]);
  });

  it('reads a document without a head element, and property / http-equiv attributes', () => {
    const head = extractHtmlHead(
      '<meta property="tdm:reservation" content="0"><meta http-equiv="X-Robots-Tag" content="noai">',
    );
    expect(head.metas).toEqual([
      { property: 'tdm:reservation', content: '0' },
      { httpEquiv: 'X-Robots-Tag', content: 'noai' },
    ]);
  });

  it('decodes character references as WHATWG does for the cases that matter', () => {
    expect(decodeHtmlAttribute('a&amp;b&#39;c&#x41;&quot;&unknown;&#0;')).toBe('a&b\'cA"&unknown;\ufffd');
  });

  it('property: a written meta or link element is read back with the same attributes', () => {
    const value = fc.string({ maxLength: 40 });
    const token = fc.stringMatching(/^[a-z][a-z0-9:-]{0,15}$/);
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: token, content: value, link: fc.boolean() }), { maxLength: 6 }),
        fc.string({ maxLength: 20 }).filter((s) => !s.includes('<')),
        (elements, filler) => {
          const html = `<html><head>${filler}${elements
            .map((e) =>
              e.link
                ? `<link rel="${e.name}" href="${escapeAttribute(e.content)}">`
                : `<meta name="${e.name}" content="${escapeAttribute(e.content)}">`,
            )
            .join('\n')}</head><body></body></html>`;
          const head = extractHtmlHead(html);
          expect(head.metas).toEqual(
            elements.filter((e) => !e.link).map((e) => ({ name: e.name, content: e.content })),
          );
          expect(head.links.map((l) => [l.rel.join(' '), l.href])).toEqual(
            elements.filter((e) => e.link).map((e) => [e.name, e.content.trim()]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: any input is read without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const head = extractHtmlHead(s);
        expect(Array.isArray(head.metas)).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('<', '>', '"', "'", '=', '<meta', ' name=', 'content', '<!--', '-->', '</', 'a', ' '),
          {
            maxLength: 60,
          },
        ),
        (parts) => {
          expect(() => extractHtmlHead(parts.join(''))).not.toThrow();
        },
      ),
      { numRuns: 500 },
    );
  });
});
