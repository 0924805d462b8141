import type { CurrencyCode, LicenceTerms, Statement } from '@heoga/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUOTE_LIMITS, QuoteAccumulator, splitByShares, type ScanQuote } from '../../src/report/index.js';
import type { VerdictLine, WorkInfo } from '../../src/types.js';
import { krw, line, match, offerStatement, sampleContext, usd } from './sample-scan.js';

function work(id: string, holders: [string, number][]): WorkInfo {
  return {
    id,
    kind: 'text',
    title: { lang: 'en', title: `Work ${id}` },
    disputed: false,
    holders: holders.map(([hid, shareBp]) => ({ id: hid, name: `Holder ${hid}`, role: 'author', shareBp })),
  };
}

function quoteOf(lines: readonly VerdictLine[], works: readonly WorkInfo[]): ScanQuote {
  const byId = new Map(works.map((w) => [w.id, w]));
  const quotes = new QuoteAccumulator((id) => byId.get(id));
  for (const l of lines) quotes.add(l);
  return quotes.finish(sampleContext());
}

/** A licence-required record for `workId` whose quote holds `offers`. */
function needs(index: number, workId: string, offers: readonly Statement[]): VerdictLine {
  return line(index, 'license-required', [match(workId, 'text', 'text-sha256')], { offers });
}

/** For each currency: the total equals the works' estimates, and the holders' amounts plus the unidentified pool. */
function expectBalanced(quote: ScanQuote): void {
  const sum = (pick: (c: CurrencyCode) => number[], currency: CurrencyCode): number =>
    pick(currency).reduce((a, b) => a + b, 0);
  for (const total of quote.totals) {
    const c = total.currency;
    const works = sum(
      (cur) => quote.works.flatMap((w) => w.estimate.filter((e) => e.currency === cur).map((e) => e.amountMinor)),
      c,
    );
    const holders = sum(
      (cur) => quote.holders.flatMap((h) => h.amounts.filter((a) => a.currency === cur).map((a) => a.amountMinor)),
      c,
    );
    const shares = sum(
      (cur) => quote.holders.flatMap((h) => h.shares.filter((s) => s.currency === cur).map((s) => s.amountMinor)),
      c,
    );
    const pool = sum((cur) => quote.unidentified.filter((u) => u.currency === cur).map((u) => u.amountMinor), c);
    expect(works).toBe(total.amountMinor);
    expect(holders + pool).toBe(total.amountMinor);
    expect(shares).toBe(holders);
  }
}

describe('splitByShares', () => {
  it('splits exactly, remainders to the largest remainders, ties to the smaller id', () => {
    expect(
      splitByShares(100, [
        { id: 'a', shareBp: 3_333 },
        { id: 'b', shareBp: 3_333 },
        { id: 'c', shareBp: 3_334 },
      ]),
    ).toEqual([
      { id: 'a', amountMinor: 33 },
      { id: 'b', amountMinor: 33 },
      { id: 'c', amountMinor: 34 },
    ]);
    expect(
      splitByShares(1, [
        { id: 'z', shareBp: 5_000 },
        { id: 'y', shareBp: 5_000 },
      ]),
    ).toEqual([
      { id: 'z', amountMinor: 0 },
      { id: 'y', amountMinor: 1 },
    ]);
    expect(
      splitByShares(1_250_000, [
        { id: 'p', shareBp: 6_000 },
        { id: 'a', shareBp: 4_000 },
      ]),
    ).toEqual([
      { id: 'p', amountMinor: 750_000 },
      { id: 'a', amountMinor: 500_000 },
    ]);
  });

  it('gives nothing to a zero share and returns nothing without a positive share', () => {
    expect(
      splitByShares(7, [
        { id: 'a', shareBp: 0 },
        { id: 'b', shareBp: 10_000 },
      ]),
    ).toEqual([
      { id: 'a', amountMinor: 0 },
      { id: 'b', amountMinor: 7 },
    ]);
    expect(splitByShares(7, [{ id: 'a', shareBp: 0 }])).toEqual([]);
    expect(splitByShares(7, [])).toEqual([]);
  });

  it('is exact near the largest safe integer', () => {
    const parts = splitByShares(Number.MAX_SAFE_INTEGER, [
      { id: 'a', shareBp: 1 },
      { id: 'b', shareBp: 9_999 },
    ]);
    expect(parts.reduce((s, p) => s + BigInt(p.amountMinor), 0n)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('refuses a total that is not a non-negative safe integer', () => {
    expect(() => splitByShares(-1, [{ id: 'a', shareBp: 1 }])).toThrow(RangeError);
    expect(() => splitByShares(1.5, [{ id: 'a', shareBp: 1 }])).toThrow(RangeError);
  });

  /** Basis points summing to 10,000, cut at random points. */
  const sharesTo10k = fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { maxLength: 12 }).map((cuts) => {
    const points = [0, ...[...cuts].sort((a, b) => a - b), 10_000];
    return points.slice(1).map((p, i) => ({ id: `h${(i * 7919) % 97}-${i}`, shareBp: p - points[i]! }));
  });

  it('property: parts add up to the total exactly, each within one unit of its exact share', () => {
    fc.assert(
      fc.property(sharesTo10k, fc.maxSafeNat(), (shares, total) => {
        const parts = splitByShares(total, shares);
        expect(parts.map((p) => p.id)).toEqual(shares.map((s) => s.id));
        expect(parts.reduce((s, p) => s + BigInt(p.amountMinor), 0n)).toBe(BigInt(total));
        parts.forEach((p, i) => {
          const exactTimes10k = BigInt(total) * BigInt(shares[i]!.shareBp);
          const got = BigInt(p.amountMinor) * 10_000n;
          expect(got >= exactTimes10k - 10_000n && got <= exactTimes10k + 10_000n).toBe(true);
          expect(Number.isSafeInteger(p.amountMinor) && p.amountMinor >= 0).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('property: any positive shares, not only those summing to 10,000, split exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.string({ maxLength: 4 }), shareBp: fc.integer({ min: 0, max: 10_000 }) }), {
          minLength: 1,
          maxLength: 10,
        }),
        fc.nat({ max: 1_000_000_000 }),
        (shares, total) => {
          const parts = splitByShares(total, shares);
          if (shares.every((s) => s.shareBp === 0)) expect(parts).toEqual([]);
          else expect(parts.reduce((s, p) => s + p.amountMinor, 0)).toBe(total);
        },
      ),
    );
  });
});

describe('QuoteAccumulator', () => {
  const A = work('A', [
    ['h1', 6_000],
    ['h2', 4_000],
  ]);
  const B = work('B', [['h2', 10_000]]);
  const C = work('C', [
    ['h3', 3_333],
    ['h4', 3_333],
    ['h5', 3_334],
  ]);

  it('prices per work once and per item times records, and splits by shares', () => {
    const quote = quoteOf(
      [
        needs(0, 'A', [offerStatement('A', krw(1_250_000))]),
        needs(1, 'A', [offerStatement('A', krw(1_250_000))]),
        needs(2, 'B', [offerStatement('B', krw(800, 'per-item'))]),
        needs(3, 'B', [offerStatement('B', krw(800, 'per-item'))]),
        needs(4, 'B', [offerStatement('B', krw(800, 'per-item'))]),
        line(5, 'cleared', [match('A', 'text', 'url')]),
      ],
      [A, B],
    );
    expect(quote.format).toBe('heoga-scan-quote/1');
    expect(quote.licencesNeeded).toMatchObject({ records: 5, works: 2, offers: 2, recordsWithoutOffers: 0 });
    expect(quote.works.map((w) => [w.workId, w.records, w.estimate.map((e) => e.display)])).toEqual([
      ['B', 3, ['KRW 2,400']],
      ['A', 2, ['KRW 1,250,000']],
    ]);
    expect(quote.works[0]!.offers[0]).toMatchObject({
      unit: 'per-item',
      records: 3,
      selected: true,
      estimate: { amountMinor: 2_400, currency: 'KRW', basis: 'per-record' },
    });
    expect(quote.totals).toEqual([{ currency: 'KRW', amountMinor: 1_252_400, display: 'KRW 1,252,400', works: 2 }]);
    const owed = Object.fromEntries(quote.holders.map((h) => [h.holderId, h.amounts]));
    expect(owed).toEqual({
      h1: [{ currency: 'KRW', amountMinor: 750_000, display: 'KRW 750,000' }],
      h2: [{ currency: 'KRW', amountMinor: 502_400, display: 'KRW 502,400' }],
    });
    expect(quote.holders.find((h) => h.holderId === 'h2')!.shares).toEqual([
      { workId: 'B', basis: 'share', shareBp: 10_000, currency: 'KRW', amountMinor: 2_400 },
      { workId: 'A', basis: 'share', shareBp: 4_000, currency: 'KRW', amountMinor: 500_000 },
    ]);
    expect(quote.complete).toBe(true);
    expectBalanced(quote);
  });

  it('assigns remainders so that shares add up to each work total exactly', () => {
    const quote = quoteOf([needs(0, 'C', [offerStatement('C', usd(100))])], [C]);
    const parts = quote.holders.map((h) => [h.holderId, h.shares[0]!.amountMinor]);
    expect(parts).toEqual([
      ['h3', 33],
      ['h4', 33],
      ['h5', 34],
    ]);
    expectBalanced(quote);
  });

  it('keeps currencies apart, never adding one to another', () => {
    const quote = quoteOf(
      [needs(0, 'A', [offerStatement('A', krw(5_000))]), needs(1, 'B', [offerStatement('B', usd(2_550))])],
      [A, B],
    );
    expect(quote.totals).toEqual([
      { currency: 'KRW', amountMinor: 5_000, display: 'KRW 5,000', works: 1 },
      { currency: 'USD', amountMinor: 2_550, display: 'USD 25.50', works: 1 },
    ]);
    const h2 = quote.holders.find((h) => h.holderId === 'h2')!;
    expect(h2.amounts).toEqual([
      { currency: 'KRW', amountMinor: 2_000, display: 'KRW 2,000' },
      { currency: 'USD', amountMinor: 2_550, display: 'USD 25.50' },
    ]);
    expectBalanced(quote);
  });

  it('does not total per-1k-token prices, and says so', () => {
    const quote = quoteOf(
      [needs(0, 'A', [offerStatement('A', krw(3, 'per-1k-tokens'))]), needs(1, 'B', [offerStatement('B', krw(10))])],
      [A, B],
    );
    const a = quote.works.find((w) => w.workId === 'A')!;
    expect(a).toMatchObject({ estimate: [], complete: false, untotalledBecause: ['per-1k-tokens'] });
    expect(a.offers[0]).toMatchObject({ untotalledBecause: 'per-1k-tokens', selected: false });
    expect(a.offers[0]!.estimate).toBeUndefined();
    expect(quote.untotalled).toEqual([{ because: 'per-1k-tokens', works: 1, offers: 1 }]);
    expect(quote.totals).toEqual([{ currency: 'KRW', amountMinor: 10, display: 'KRW 10', works: 1 }]);
    expect(quote.complete).toBe(false);
    // The holders of the untotalled work are still listed, owed nothing from it.
    expect(quote.holders.find((h) => h.holderId === 'h1')).toMatchObject({ works: 1, amounts: [] });
  });

  it('counts a flat-per-dataset price once, however many records hold the work', () => {
    const offer = offerStatement('A', krw(2_000_000, 'flat-per-dataset'));
    const quote = quoteOf(
      [0, 1, 2, 3].map((i) => needs(i, 'A', [offer])),
      [A],
    );
    expect(quote.totals[0]!.amountMinor).toBe(2_000_000);
    expect(quote.works[0]!.offers[0]!.estimate!.basis).toBe('once');
  });

  it('takes the cheapest alternative open to commercial use, and adds a holder’s own offer', () => {
    const commercial: LicenceTerms = { ...krw(15_000, 'per-item'), scope: { users: ['commercial'] } };
    const education: LicenceTerms = { ...krw(6_000, 'per-item'), scope: { users: ['education'] } };
    const open: LicenceTerms = krw(20_000, 'per-item');
    const offers = [
      offerStatement('A', commercial),
      offerStatement('A', education),
      offerStatement('A', open),
      offerStatement('A', krw(1_000), 'h2'),
    ];
    const quote = quoteOf([needs(0, 'A', offers), needs(1, 'A', offers)], [A]);
    const a = quote.works[0]!;
    expect(a.offers.filter((o) => o.selected).map((o) => [o.price.amountMinor, o.rightsHolderId ?? null])).toEqual([
      [15_000, null],
      [1_000, 'h2'],
    ]);
    expect(a.estimate).toEqual([{ currency: 'KRW', amountMinor: 31_000, display: 'KRW 31,000' }]);
    const h2 = quote.holders.find((h) => h.holderId === 'h2')!;
    expect(h2.shares).toEqual([
      { workId: 'A', basis: 'share', shareBp: 4_000, currency: 'KRW', amountMinor: 12_000 },
      { workId: 'A', basis: 'own-offer', shareBp: 10_000, currency: 'KRW', amountMinor: 1_000 },
    ]);
    expectBalanced(quote);
  });

  it('holds the money for works whose holders are unknown apart', () => {
    const quote = quoteOf([needs(0, 'X', [offerStatement('X', krw(9_000))])], []);
    expect(quote.works[0]).toMatchObject({ workId: 'X', known: false, holders: [], disputed: false });
    expect(quote.unidentified).toEqual([{ currency: 'KRW', amountMinor: 9_000, display: 'KRW 9,000' }]);
    expect(quote.holders).toEqual([]);
    expectBalanced(quote);
  });

  it('counts offers that name no registry work without pricing them', () => {
    const signal: Statement = {
      kind: 'preference',
      source: { kind: 'site-signal', protocol: 'rsl', url: 'https://example.com/license.xml' },
      uses: ['ai-train'],
      stance: { kind: 'license', terms: usd(10, 'per-item') },
    };
    const quote = quoteOf(
      [
        needs(0, 'A', [signal, offerStatement('A', krw(1))]),
        line(1, 'license-required', [], { offers: [signal] }),
        line(2, 'license-required', [], { offers: [] }),
      ],
      [A],
    );
    expect(quote.licencesNeeded).toMatchObject({
      records: 3,
      works: 1,
      recordsWithoutOffers: 1,
      unattributed: { records: 2, offers: 2, sources: [{ source: 'site-signal:rsl', offers: 2 }] },
    });
    expect(quote.complete).toBe(false);
    expect(quote.totals.map((t) => t.currency)).toEqual(['KRW']);
  });

  it('counts a record once per work and offer, even when its quote repeats them', () => {
    const offer = offerStatement('B', krw(100, 'per-item'));
    const quote = quoteOf([needs(0, 'B', [offer, offer, { ...offer }])], [B]);
    expect(quote.works[0]!.records).toBe(1);
    expect(quote.works[0]!.offers).toHaveLength(1);
    expect(quote.totals[0]!.amountMinor).toBe(100);
  });

  it('lists at most QUOTE_LIMITS.offersPerWork offers per work and marks the estimate partial', () => {
    const offers = Array.from({ length: QUOTE_LIMITS.offersPerWork + 4 }, (_, i) => offerStatement('A', krw(100 + i)));
    const quote = quoteOf([needs(0, 'A', offers)], [A]);
    expect(quote.works[0]!.offers).toHaveLength(QUOTE_LIMITS.offersPerWork);
    expect(quote.works[0]!.offersNotListed).toBe(4);
    expect(quote.works[0]!.complete).toBe(false);
    expect(quote.untotalled).toEqual([{ because: 'offers-not-listed', works: 1, offers: 4 }]);
  });

  it('does not total an invalid price or a product beyond the safe integers', () => {
    const bad: LicenceTerms = { price: { amountMinor: 1.5, currency: 'KRW' }, unit: 'per-work', attribution: false };
    const huge = krw(Number.MAX_SAFE_INTEGER, 'per-item');
    const quote = quoteOf(
      [
        needs(0, 'A', [offerStatement('A', bad)]),
        needs(1, 'B', [offerStatement('B', huge)]),
        needs(2, 'B', [offerStatement('B', huge)]),
      ],
      [A, B],
    );
    expect(quote.untotalled).toEqual([
      { because: 'exceeds-safe-integer', works: 1, offers: 1 },
      { because: 'invalid-price', works: 1, offers: 1 },
    ]);
    expect(quote.totals).toEqual([]);
  });

  it('is plain JSON and the same when finished twice', () => {
    const byId = new Map([A, B].map((w) => [w.id, w]));
    const quotes = new QuoteAccumulator((id) => byId.get(id));
    quotes.add(needs(0, 'A', [offerStatement('A', krw(700))]));
    const first = quotes.finish(sampleContext());
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(quotes.finish(sampleContext())).toEqual(first);
  });

  it('property: for random works, shares, offers and currencies, every currency balances exactly', () => {
    const currency = fc.constantFrom<CurrencyCode>('KRW', 'USD', 'EUR', 'JPY', 'KWD');
    const terms: fc.Arbitrary<LicenceTerms> = fc.record({
      price: fc.record({ amountMinor: fc.nat({ max: 50_000_000 }), currency }),
      unit: fc.constantFrom('per-work', 'per-item', 'flat-per-dataset', 'per-1k-tokens' as const),
      attribution: fc.boolean(),
    });
    const holders = fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { maxLength: 5 }).map((cuts) => {
      const points = [0, ...[...cuts].sort((a, b) => a - b), 10_000];
      return points.slice(1).map((p, i): [string, number] => [`h${i}`, p - points[i]!]);
    });
    const scenario = fc.record({
      works: fc.array(holders, { minLength: 1, maxLength: 6 }),
      records: fc.array(
        fc.record({
          work: fc.nat(),
          offers: fc.array(fc.record({ terms, own: fc.option(fc.nat({ max: 4 }), { nil: undefined }) }), {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        { minLength: 1, maxLength: 30 },
      ),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        // Some works (every third) are unknown to the snapshot.
        const works = s.works.map((h, i) => work(`w${i}`, h));
        const known = works.filter((_, i) => i % 3 !== 2);
        const lines = s.records.map((r, index) => {
          const workId = `w${r.work % works.length}`;
          return needs(
            index,
            workId,
            r.offers.map((o) => offerStatement(workId, o.terms, o.own === undefined ? undefined : `h${o.own}`)),
          );
        });
        const quote = quoteOf(lines, known);
        expectBalanced(quote);
        for (const t of quote.totals) expect(Number.isSafeInteger(t.amountMinor)).toBe(true);
        expect(new Set(quote.totals.map((t) => t.currency)).size).toBe(quote.totals.length);
      }),
      { numRuns: 300 },
    );
  });
});
