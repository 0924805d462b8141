/**
 * ISO 4217 currencies and their minor units. Amounts in heoga are always integers in the currency's minor unit
 * (cents for EUR, whole won for KRW, which has no minor unit), never floating point.
 */

const MINOR_UNIT_EXCEPTIONS: { readonly [code: string]: number } = {
  // ISO 4217 currencies with no minor unit.
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // Three decimals.
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // Four decimals (units of account).
  CLF: 4,
  UYW: 4,
};

const TWO_DECIMAL_CODES =
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW ' +
  'CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ' +
  'ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV ' +
  'MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD ' +
  'SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UZS VED VES WST XCD XCG YER ZAR ZMW ZWG';

const MINOR_UNITS: ReadonlyMap<string, number> = new Map<string, number>([
  ...TWO_DECIMAL_CODES.split(' ').map((code): [string, number] => [code, 2]),
  ...Object.entries(MINOR_UNIT_EXCEPTIONS),
]);

/** An active ISO 4217 alphabetic currency code with a defined minor unit, e.g. `KRW`, `EUR`. */
export type CurrencyCode = string & { readonly __currency?: never };

/** Every supported currency code, sorted. */
export const CURRENCY_CODES: readonly CurrencyCode[] = [...MINOR_UNITS.keys()].sort();

/** True when `code` is an active ISO 4217 code we can price in (upper case, exactly three letters). */
export function isCurrencyCode(code: unknown): code is CurrencyCode {
  return typeof code === 'string' && MINOR_UNITS.has(code);
}

/**
 * The number of decimal places of the currency's minor unit, or `undefined` for an unknown code.
 *
 * @example
 * ```ts
 * findMinorUnitDigits('KRW') // 0
 * findMinorUnitDigits('EUR') // 2
 * ```
 */
export function findMinorUnitDigits(code: string): number | undefined {
  return MINOR_UNITS.get(code);
}

/** An amount of money: an integer number of minor units of an ISO 4217 currency. */
export interface Money {
  /** Integer minor units (cents for EUR, won for KRW). Never negative in a price. */
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/**
 * Formats money for people as `CUR 1,234.50`, using the currency's minor unit. Exact for any safe integer.
 *
 * @example
 * ```ts
 * formatMoney({ amountMinor: 5000, currency: 'KRW' })  // 'KRW 5,000'
 * formatMoney({ amountMinor: 25050, currency: 'EUR' }) // 'EUR 250.50'
 * ```
 */
export function formatMoney(money: Money): string {
  const digits = findMinorUnitDigits(money.currency) ?? 2;
  const negative = money.amountMinor < 0;
  const text = Math.abs(money.amountMinor)
    .toString()
    .padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${money.currency} ${negative ? '-' : ''}${grouped}${fraction}`;
}
