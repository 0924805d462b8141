import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LicenceTerms } from '../policy/licence-terms.js';
import { effectivePolicy, type PolicyByUse } from '../policy/protocol-vocabulary.js';
import { USES, type Use } from '../policy/uses.js';
import {
  evaluateRsl,
  moneyToRslAmount,
  parseRsl,
  rslAmountToMoney,
  rslDocumentForPolicy,
  serializeRsl,
  writeRsl,
  type RslContent,
  type RslDocument,
  type RslLicense,
} from './rsl.js';

// research/signals.md §4, "Example (ours)".
const DIGEST_RSL = `<rsl xmlns="https://rslstandard.org/rsl" max-age="7">
  <content url="/portfolio/*" lastmod="2026-10-01T00:00:00Z">
    <license>
      <permits type="usage">search</permits>
      <prohibits type="usage">ai-all</prohibits>
    </license>
    <license>
      <permits type="usage">ai-train</permits>
      <permits type="user">commercial</permits>
      <payment type="training">
        <custom>https://clearing.example/buy/artist-42</custom>
        <amount currency="EUR">250.00</amount>
      </payment>
    </license>
    <copyright type="person" contactUrl="https://clearing.example/artist-42">Jane Roe</copyright>
  </content>
</rsl>`;

function document(xml: string): RslDocument {
  const result = parseRsl(xml);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const wrap = (inner: string, root = '<rsl xmlns="https://rslstandard.org/rsl">'): string => `${root}${inner}</rsl>`;

describe('parseRsl', () => {
  it('reads the digest example', () => {
    const result = parseRsl(DIGEST_RSL);
    expect(result).toEqual({
      ok: true,
      warnings: [],
      value: {
        maxAgeDays: 7,
        contents: [
          {
            url: '/portfolio/*',
            encrypted: false,
            lastmod: '2026-10-01T00:00:00Z',
            licenses: [
              { permits: { usage: ['search'] }, prohibits: { usage: ['ai-all'] }, reporting: [], legal: [] },
              {
                permits: { usage: ['ai-train'], user: ['commercial'] },
                prohibits: {},
                payment: {
                  type: 'training',
                  custom: 'https://clearing.example/buy/artist-42',
                  amount: { value: '250.00', currency: 'EUR' },
                  accepts: [],
                },
                reporting: [],
                legal: [],
              },
            ],
            alternates: [],
            copyright: { type: 'person', holder: 'Jane Roe', contactUrl: 'https://clearing.example/artist-42' },
          },
        ],
      },
    });
  });

  it('refuses a DOCTYPE, entity declarations and unknown entities (XXE-safe)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rsl [<!ENTITY x SYSTEM "file:///etc/passwd">]>${wrap('<content url="&x;"/>')}`;
    const refused = parseRsl(xxe);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.issues[0]?.message).toMatch(/DOCTYPE/);
    expect(parseRsl(wrap('<content url="&x;"><license/></content>')).ok).toBe(false);
    expect(parseRsl(wrap('<content url="/a&amp;b&#47;&#x2A;&lt;"><license/></content>'))).toMatchObject({
      ok: true,
      value: { contents: [{ url: '/a&b/*<' }] },
    });
  });

  it('warns about a prefixed root, unknown RSL elements, comma lists and 0.9 tokens; ignores extensions', () => {
    const xml = `<rsl:rsl xmlns:rsl="https://rslstandard.org/rsl" xmlns:x="https://ext.example/ns">
      <rsl:content url="/"><rsl:license>
        <rsl:permits type="usage">train-ai,search x:custom</rsl:permits>
        <rsl:sparkles/>
        <x:binding id="1"/>
      </rsl:license></rsl:content></rsl:rsl>`;
    const result = parseRsl(xml);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.contents[0]?.licenses[0]?.permits.usage).toEqual(['train-ai', 'search']);
    const messages = result.warnings.map((w) => w.message).join('\n');
    expect(messages).toMatch(/unprefixed root/);
    expect(messages).toMatch(/unknown RSL element <sparkles>/);
    expect(messages).toMatch(/comma lists/);
    expect(messages).toMatch(/train-ai is an RSL 0.9/);
    expect(messages).not.toMatch(/binding/);
  });

  it.each([
    ['not XML', 'hello'],
    ['another root', '<feed xmlns="https://rslstandard.org/rsl"/>'],
    ['no content', wrap('')],
    ['unclosed', '<rsl xmlns="https://rslstandard.org/rsl"><content url="/">'],
    ['too deep', wrap(`${'<x:a xmlns:x="u">'.repeat(100)}${'</x:a>'.repeat(100)}`)],
    ['too large', wrap(`<content url="/"><license/></content><!--${'x'.repeat(1024 * 1024)}-->`)],
  ])('refuses %s', (_name, xml) => {
    expect(parseRsl(xml).ok).toBe(false);
  });

  it('never throws on random strings or mangled documents', () => {
    const mangled = fc
      .tuple(fc.nat({ max: DIGEST_RSL.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 10 }))
      .map(([at, cut, insert]) => DIGEST_RSL.slice(0, at) + insert + DIGEST_RSL.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string(), mangled), (xml) => {
        const result = parseRsl(xml);
        if (result.ok) evaluateRsl(result.value, { url: '/portfolio/a', use: 'ai-train', user: 'commercial' });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('evaluateRsl', () => {
  const doc = document(DIGEST_RSL);

  it('evaluates the digest example per use', () => {
    expect(evaluateRsl(doc, { url: '/portfolio/a.jpg', use: 'search' }).outcome).toBe('allow');
    expect(evaluateRsl(doc, { url: '/portfolio/a.jpg', use: 'ai-input', user: 'commercial' }).outcome).toBe('deny');
    // Without a user type, the commercial-only paid licence does not apply: rights are never expanded.
    expect(evaluateRsl(doc, { url: '/portfolio/a.jpg', use: 'ai-train' }).outcome).toBe('deny');
    const paid = evaluateRsl(doc, {
      url: 'https://art.example/portfolio/a.jpg',
      use: 'ai-train-genai',
      user: 'commercial',
    });
    expect(paid).toMatchObject({
      outcome: 'license',
      payments: [{ type: 'training', amount: { value: '250.00', currency: 'EUR' } }],
      contentIndexes: [0],
    });
    expect(paid.evidence.map((e) => e.grants)).toEqual([false, true]);
    expect(evaluateRsl(doc, { url: '/about', use: 'search' }).outcome).toBe('unknown');
  });

  it('lets the narrower scope win, whatever the order', () => {
    const xml = wrap(`
      <content url="/a/b/"><license><permits type="usage">all</permits></license></content>
      <content url="/"><license><prohibits type="usage">all</prohibits></license></content>`);
    expect(evaluateRsl(document(xml), { url: '/a/b/c', use: 'ai-train' })).toMatchObject({
      outcome: 'allow',
      contentIndexes: [0],
    });
    expect(evaluateRsl(document(xml), { url: '/a/c', use: 'ai-train' }).outcome).toBe('deny');
  });

  it('treats permitted and prohibited as not licensed', () => {
    const xml = wrap(
      '<content url="/"><license><permits type="usage">ai-train</permits><prohibits type="usage">ai-all</prohibits></license></content>',
    );
    expect(evaluateRsl(document(xml), { url: '/', use: 'ai-train' }).outcome).toBe('deny');
  });

  it('restricts to the listed values when a permits of a type exists', () => {
    const xml = wrap(
      '<content url="/"><license><permits type="geo">EU</permits><permits type="user">education personal</permits></license></content>',
    );
    const d = document(xml);
    expect(evaluateRsl(d, { url: '/', use: 'ai-input', user: 'education', geo: 'FR' }).outcome).toBe('allow');
    expect(evaluateRsl(d, { url: '/', use: 'ai-input', user: 'commercial', geo: 'FR' }).outcome).toBe('deny');
    expect(evaluateRsl(d, { url: '/', use: 'ai-input', user: 'education', geo: 'US' }).outcome).toBe('deny');
  });

  it('needs a licence token from the server even for free use', () => {
    const xml = wrap('<content url="/" server="https://olp.example"><license/></content>');
    expect(evaluateRsl(document(xml), { url: '/x', use: 'search' })).toMatchObject({
      outcome: 'license',
      server: 'https://olp.example',
      payments: [{ type: 'free' }],
    });
  });

  it('does not apply a licence whose reporting profile the client cannot meet', () => {
    const xml = wrap(
      '<content url="/"><license><reporting type="telemetry" profile="https://r.example/p"/></license></content>',
    );
    expect(evaluateRsl(document(xml), { url: '/', use: 'search' }).outcome).toBe('deny');
    const met = { url: '/', use: 'search' as const, reportingProfiles: ['https://r.example/p'] };
    expect(evaluateRsl(document(xml), met).outcome).toBe('allow');
  });
});

describe('amounts', () => {
  it('writes the currency minor unit digits and reads them back', () => {
    expect(moneyToRslAmount({ amountMinor: 25000, currency: 'EUR' })).toEqual({ value: '250.00', currency: 'EUR' });
    expect(moneyToRslAmount({ amountMinor: 5000, currency: 'KRW' })).toEqual({ value: '5000', currency: 'KRW' });
    expect(moneyToRslAmount({ amountMinor: 5, currency: 'KWD' })).toEqual({ value: '0.005', currency: 'KWD' });
    expect(rslAmountToMoney({ value: '250.5', currency: 'EUR' })).toEqual({ amountMinor: 25050, currency: 'EUR' });
    expect(rslAmountToMoney({ value: '1.5', currency: 'KRW' })).toBeUndefined();
    fc.assert(
      fc.property(fc.nat({ max: 1e12 }), fc.constantFrom('EUR', 'KRW', 'KWD', 'CLF'), (amountMinor, currency) => {
        expect(rslAmountToMoney(moneyToRslAmount({ amountMinor, currency }))).toEqual({ amountMinor, currency });
      }),
    );
  });
});

const isXmlCharacter = (code: number): boolean =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  code >= 0x10000;

describe('serializeRsl round trip', () => {
  const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const text = fc
    .string({ minLength: 1, maxLength: 20 })
    .map((s) => s.trim())
    // Only characters XML can hold (XML 1.0 §2.2): the writer drops the others.
    .filter((s) => s !== '' && [...s].every((ch) => isXmlCharacter(ch.codePointAt(0) ?? 0)));
  const tokens = (values: readonly string[]) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: 3 });
  const terms = fc.record(
    {
      usage: tokens(['all', 'ai-all', 'ai-train', 'ai-input', 'ai-index', 'search']),
      user: tokens(['commercial', 'non-commercial', 'education', 'government', 'personal']),
      geo: tokens(['EU', 'KR', 'US', 'FR']),
    },
    { requiredKeys: [] },
  );
  const license: fc.Arbitrary<RslLicense> = fc.record(
    {
      permits: terms,
      prohibits: terms,
      payment: fc.record(
        {
          type: fc.constantFrom('purchase', 'training', 'use', 'free', 'attribution' as const),
          standard: fc.webUrl(),
          custom: text,
          amount: fc.record({ value: fc.constantFrom('0', '250.00', '12.5'), currency: fc.constantFrom('EUR', 'KRW') }),
          accepts: fc.array(fc.record({ type: word, body: text }), { maxLength: 2 }),
        },
        { requiredKeys: ['type', 'accepts'] },
      ),
      reporting: fc.array(
        fc.record({ type: word, profile: fc.webUrl(), endpoint: fc.webUrl() }, { requiredKeys: ['type', 'profile'] }),
        { maxLength: 2 },
      ),
      legal: fc.array(fc.record({ type: word, values: fc.array(word, { maxLength: 3 }) }), { maxLength: 2 }),
    },
    { requiredKeys: ['permits', 'prohibits', 'reporting', 'legal'] },
  );
  const content: fc.Arbitrary<RslContent> = fc.record(
    {
      url: fc.oneof(fc.constant('/'), fc.constant('/a/*.jpg$'), fc.webUrl(), text),
      server: fc.webUrl(),
      encrypted: fc.boolean(),
      lastmod: fc.constant('2026-10-01T00:00:00Z'),
      licenses: fc.array(license, { maxLength: 3 }),
      alternates: fc.array(fc.webUrl(), { maxLength: 2 }),
      copyright: fc.record(
        {
          type: fc.constantFrom('person' as const, 'organization' as const),
          holder: text,
          contactEmail: text,
          contactUrl: fc.webUrl(),
        },
        { requiredKeys: [] },
      ),
      terms: fc.webUrl(),
    },
    { requiredKeys: ['url', 'encrypted', 'licenses', 'alternates'] },
  );
  const doc: fc.Arbitrary<RslDocument> = fc.record({
    maxAgeDays: fc.nat({ max: 365 }),
    contents: fc.array(content, { minLength: 1, maxLength: 3 }),
  });

  it('parseRsl(serializeRsl(doc)) gives back doc, without warnings', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const result = parseRsl(serializeRsl(d));
        expect(result).toEqual({ ok: true, value: d, warnings: expect.any(Array) });
        // Tokens from the RSL 1.0 vocabularies never warn; only a content without a licence does.
        expect(result.ok && result.warnings.filter((w) => !/should have a <license>/.test(w.message))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeRsl', () => {
  const termsArb: fc.Arbitrary<LicenceTerms> = fc.record(
    {
      price: fc.record({ amountMinor: fc.nat({ max: 10_000_000 }), currency: fc.constantFrom('EUR', 'KRW', 'KWD') }),
      unit: fc.constantFrom('per-work' as const, 'per-item' as const),
      attribution: fc.boolean(),
      scope: fc.record(
        {
          users: fc.uniqueArray(fc.constantFrom('commercial' as const, 'education' as const), { minLength: 1 }),
          territories: fc.uniqueArray(fc.constantFrom('KR', 'FR'), { minLength: 1 }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['price', 'unit', 'attribution'] },
  );
  const stance = fc.constantFrom('allow' as const, 'deny' as const, 'license' as const, 'unknown' as const);
  // A policy RSL can say exactly: both training uses share one stance and one set of terms.
  const coherent = fc
    .record({
      train: stance,
      input: stance,
      index: stance,
      search: stance,
      terms: fc.tuple(termsArb, termsArb, termsArb, termsArb),
    })
    .map(({ train, input, index, search, terms }) => {
      const policy: PolicyByUse = {
        'ai-train': train,
        'ai-train-genai': train,
        'ai-input': input,
        'ai-index': index,
        search,
      };
      const byUse: { [U in Use]?: LicenceTerms } = {
        'ai-train': terms[0],
        'ai-train-genai': terms[0],
        'ai-input': terms[1],
        'ai-index': terms[2],
        search: terms[3],
      };
      return { policy, terms: byUse };
    });

  it('writes the digest-like policy', () => {
    const terms: LicenceTerms = {
      price: { amountMinor: 25000, currency: 'EUR' },
      unit: 'per-work',
      attribution: false,
      scope: { users: ['commercial'] },
    };
    const xml = writeRsl(
      { 'ai-train': 'license', 'ai-train-genai': 'license', 'ai-input': 'deny', 'ai-index': 'deny', search: 'allow' },
      {
        url: '/portfolio/*',
        terms: { 'ai-train': terms, 'ai-train-genai': terms },
        licenceUrl: 'https://clearing.example/buy/artist-42',
      },
    );
    expect(xml).toContain('<permits type="usage">search</permits>');
    expect(xml).toContain('<prohibits type="usage">ai-train ai-input ai-index</prohibits>');
    expect(xml).toContain('<amount currency="EUR">250.00</amount>');
    const d = document(xml);
    expect(evaluateRsl(d, { url: '/portfolio/x', use: 'ai-train', user: 'commercial' }).outcome).toBe('license');
  });

  it('evaluates a written policy to the same stance per use', () => {
    fc.assert(
      fc.property(coherent, ({ policy, terms }) => {
        const d = document(writeRsl(policy, { url: '/works/*', terms }));
        const anyLicence = (d.contents[0]?.licenses.length ?? 0) > 0;
        for (const use of USES) {
          const scope = terms[use]?.scope;
          const request = {
            url: '/works/a.jpg',
            use,
            ...(scope?.users ? { user: scope.users[0] } : {}),
            ...(scope?.territories ? { geo: scope.territories[0] } : {}),
          };
          const got = evaluateRsl(d, request);
          const expected = policy[use] === 'unknown' ? (anyLicence ? 'deny' : 'unknown') : policy[use];
          expect(got.outcome, use).toBe(expected);
          if (policy[use] === 'license') {
            expect(got.payments.map((p) => p.amount && rslAmountToMoney(p.amount))).toContainEqual(terms[use]?.price);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never writes a use as more permitted than the policy says', () => {
    const any = fc.record({
      policy: fc
        .tuple(stance, stance, stance, stance, stance)
        .map((s) => Object.fromEntries(USES.map((u, i) => [u, s[i]])) as unknown as PolicyByUse),
      terms: termsArb,
    });
    const rank = { allow: 0, license: 1, unknown: 2, deny: 2 } as const;
    fc.assert(
      fc.property(any, ({ policy, terms }) => {
        const byUse = Object.fromEntries(USES.map((u) => [u, terms]));
        const d = rslDocumentForPolicy(policy, { terms: byUse });
        for (const use of USES) {
          const got = evaluateRsl(d, { url: '/x', use, user: 'commercial', geo: 'KR' }).outcome;
          // Compared with the policy as it takes effect: a price on ai-train prices ai-train-genai too.
          expect(rank[got]).toBeGreaterThanOrEqual(rank[effectivePolicy(policy)[use]]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
