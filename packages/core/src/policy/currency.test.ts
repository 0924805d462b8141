import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, findMinorUnitDigits, formatMoney, isCurrencyCode } from '../index.js';

describe('ISO 4217 currencies', () => {
  it('knows the minor units that matter', () => {
    expect(findMinorUnitDigits('KRW')).toBe(0);
    expect(findMinorUnitDigits('JPY')).toBe(0);
    expect(findMinorUnitDigits('EUR')).toBe(2);
    expect(findMinorUnitDigits('USD')).toBe(2);
    expect(findMinorUnitDigits('KWD')).toBe(3);
    expect(findMinorUnitDigits('CLF')).toBe(4);
    expect(findMinorUnitDigits('XXX')).toBeUndefined();
  });

  it('accepts only upper-case active codes', () => {
    expect(isCurrencyCode('KRW')).toBe(true);
    expect(isCurrencyCode('krw')).toBe(false);
    expect(isCurrencyCode('XAU')).toBe(false);
    expect(CURRENCY_CODES.length).toBeGreaterThan(150);
    expect(CURRENCY_CODES.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
  });

  it('formats amounts exactly in the minor unit', () => {
    expect(formatMoney({ amountMinor: 5000, currency: 'KRW' })).toBe('KRW 5,000');
    expect(formatMoney({ amountMinor: 25050, currency: 'EUR' })).toBe('EUR 250.50');
    expect(formatMoney({ amountMinor: 5, currency: 'EUR' })).toBe('EUR 0.05');
    expect(formatMoney({ amountMinor: 1234567, currency: 'KWD' })).toBe('KWD 1,234.567');
    expect(formatMoney({ amountMinor: -100, currency: 'USD' })).toBe('USD -1.00');
  });

  it('formatting never loses a minor unit (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.constantFrom(...CURRENCY_CODES), (amountMinor, currency) => {
        const text = formatMoney({ amountMinor, currency });
        const digits = text.slice(4).replace(/[,.]/g, '');
        expect(BigInt(digits)).toBe(BigInt(amountMinor));
      }),
    );
  });
});
