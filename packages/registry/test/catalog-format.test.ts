import { CURRENCY_CODES, findMinorUnitDigits } from '@heoga/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCatalog, toMinorUnits, type CatalogFormat } from '../src/index.js';

const runs = { numRuns: 300 };
const FORMATS: readonly CatalogFormat[] = ['csv', 'jsonl'];

// Text that looks like a catalog often enough to reach past the first check: known columns, separators, quotes,
// line breaks, pipes, colons and `name=` in cells.
const COLUMNS = [
  'external_id',
  'kind',
  'title:en',
  'title:',
  'isbn',
  'url',
  'url_prefix',
  'rights_holders',
  'fingerprints',
  'sha256',
  'ai-train',
  'search',
  'price',
  'currency',
  'unit',
  'attribution',
  'file',
  '__proto__',
  'constructor',
];
const cellText = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\n', '\r', '|', ':', '=', ' ', '.', 'é', '\u0000') }),
  fc.constantFrom('license', 'deny', 'allow', 'unknown', 'name=', 'name=X:author:100', 'EUR', 'KRW', '2.50', '-1'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const csvLike = fc.uniqueArray(fc.constantFrom(...COLUMNS), { minLength: 1 }).chain((header) =>
  fc
    .record({
      rows: fc.array(fc.array(cellText, { minLength: header.length, maxLength: header.length }), { maxLength: 6 }),
      newline: fc.constantFrom('\n', '\r\n', '\r'),
    })
    .map(({ rows, newline }) => [header.join(','), ...rows.map((r) => r.join(','))].join(newline)),
);
const jsonLike = fc
  .array(
    fc.oneof(
      fc.json(),
      fc
        .record({
          externalId: fc.anything(),
          rightsHolders: fc.oneof(
            fc.array(
              fc.oneof(fc.constant(null), fc.record({ name: fc.anything(), role: fc.anything() }), fc.anything()),
            ),
            fc.anything(),
          ),
          file: fc.anything(),
        })
        .map((v) => JSON.stringify(v) ?? 'null'),
    ),
    { maxLength: 6 },
  )
  .map((lines) => lines.join('\n'));

describe('parseCatalog', () => {
  it('never throws, whatever the text, in either format', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string(), csvLike, jsonLike),
        fc.constantFrom(...FORMATS),
        (text, format) => {
          const parsed = parseCatalog(text, format);
          expect(Array.isArray(parsed.rows)).toBe(true);
          for (const issue of parsed.issues) {
            expect(Number.isInteger(issue.line)).toBe(true);
            expect(typeof issue.path).toBe('string');
            expect(typeof issue.message).toBe('string');
          }
          for (const row of parsed.rows) expect(row.line).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives JSON Lines rows the number of the line they are on', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('', ' ', '{}', '{"kind":"text"}', 'x'), { maxLength: 20 }), (lines) => {
        const parsed = parseCatalog(lines.join('\n'), 'jsonl');
        const objectLines = lines.flatMap((l, i) => (l.startsWith('{') ? [i + 1] : []));
        const badLines = lines.flatMap((l, i) => (l === 'x' ? [i + 1] : []));
        expect(parsed.rows.map((r) => r.line)).toEqual(objectLines);
        expect(parsed.issues.map((i) => i.line)).toEqual(badLines);
      }),
      runs,
    );
  });
});

describe('toMinorUnits', () => {
  /** `amount` minor units written in major units with exactly the currency's digits (`250` EUR → `2.50`). */
  function formatMajor(amount: number, digits: number): string {
    if (digits === 0) return String(amount);
    const text = String(amount).padStart(digits + 1, '0');
    return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }

  // Integers whose major part fits the 15 digits the parser reads.
  const amountAndCurrency = fc.constantFrom(...CURRENCY_CODES).chain((currency) => {
    const digits = findMinorUnitDigits(currency)!;
    const max = Math.min(Number.MAX_SAFE_INTEGER, 10 ** (15 + digits) - 1);
    return fc.record({
      currency: fc.constant(currency),
      digits: fc.constant(digits),
      amount: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max })),
    });
  });

  it('reads back exactly the integer it was formatted from, for every currency', () => {
    fc.assert(
      fc.property(amountAndCurrency, ({ currency, digits, amount }) => {
        expect(toMinorUnits(formatMajor(amount, digits), currency)).toBe(amount);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts fewer fraction digits, surrounding spaces and thousands separators', () => {
    fc.assert(
      fc.property(amountAndCurrency, ({ currency, digits, amount }) => {
        const text = formatMajor(amount, digits);
        // Trailing zeros of the fraction may be left out.
        const trimmed = digits === 0 ? text : text.replace(/0+$/, '').replace(/\.$/, '');
        expect(toMinorUnits(` ${trimmed} `, currency)).toBe(amount);
        const [whole = '', fraction] = text.split('.');
        const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
        expect(toMinorUnits(fraction === undefined ? grouped : `${grouped}.${fraction}`, currency)).toBe(amount);
      }),
      runs,
    );
  });

  it('refuses more fraction digits than the currency allows', () => {
    fc.assert(
      fc.property(amountAndCurrency, fc.integer({ min: 0, max: 9 }), ({ currency, digits, amount }, extra) => {
        const text = formatMajor(amount, digits);
        const longer = digits === 0 ? `${text}.${extra}` : `${text}${extra}`;
        expect(toMinorUnits(longer, currency)).toBeUndefined();
      }),
      runs,
    );
  });

  it('refuses unknown currencies and anything that is not a plain non-negative decimal', () => {
    expect(toMinorUnits('2.50', 'XXX')).toBeUndefined();
    expect(toMinorUnits('2.50', 'eur')).toBeUndefined();
    expect(toMinorUnits('2.50', '')).toBeUndefined();
    for (const text of ['', ' ', '-1', '+1', '1e3', '0x10', '.5', '1.', '1..2', 'NaN', 'Infinity', '１２']) {
      expect(toMinorUnits(text, 'EUR'), text).toBeUndefined();
    }
    expect(toMinorUnits('1000', 'KRW')).toBe(1000);
    expect(toMinorUnits('1.234', 'BHD')).toBe(1234);
    expect(toMinorUnits('0.0001', 'CLF')).toBe(1);
    // The parser reads at most 15 integer digits and returns only safe integers.
    expect(toMinorUnits('9'.repeat(16), 'KRW')).toBeUndefined();
    expect(toMinorUnits(`${'9'.repeat(15)}.9999`, 'CLF')).toBeUndefined();
  });

  // A decimal comma (`2,50`) must be refused, not read as 250: commas are thousands separators only (`1,234.50`).
  it('refuses commas that are not thousands separators', () => {
    expect(toMinorUnits('1,234.50', 'EUR')).toBe(123_450);
    expect(toMinorUnits('2,50', 'EUR')).toBeUndefined();
    expect(toMinorUnits('1,2,3', 'KRW')).toBeUndefined();
  });
});
