import type { Money } from './currency.js';

/**
 * What a price is charged per (DESIGN §3):
 * - `per-work`: once per work used, whatever its size;
 * - `per-1k-tokens`: per 1,000 tokens of the work used (text);
 * - `per-item`: per dataset item that contains the work (an image, a document, a clip);
 * - `flat-per-dataset`: one amount for the whole dataset, however many of the works it contains.
 */
export const PRICE_UNITS = ['per-work', 'per-1k-tokens', 'per-item', 'flat-per-dataset'] as const;

/** What a price is charged per. */
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Who may take a licence, in RSL 1.0's user vocabulary (the entity using the work, not its audience). */
export const USER_TYPES = ['commercial', 'non-commercial', 'education', 'government', 'personal'] as const;

/** A kind of licensee. */
export type UserType = (typeof USER_TYPES)[number];

/** Where and by whom a licence may be used. An absent list means no restriction on that axis. */
export interface LicenceScope {
  /** Kinds of licensee the offer is open to. */
  readonly users?: readonly UserType[];
  /** ISO 3166-1 alpha-2 codes (upper case) or `EU`, where the licensed use may take place. */
  readonly territories?: readonly string[];
}

/** When an offer stands, and how long a licence taken under it lasts. */
export interface LicenceValidity {
  /** RFC 3339 time from which the offer (or licence) is valid. */
  readonly from?: string;
  /** RFC 3339 time until which the offer (or licence) is valid (exclusive). */
  readonly until?: string;
  /** How many days a licence granted under the offer lasts. Absent: until `until`, or without end. */
  readonly durationDays?: number;
}

/**
 * The terms of a `license` stance: the price, what it is charged per, attribution, scope and validity.
 *
 * @example
 * ```ts
 * const terms: LicenceTerms = {
 *   price: { amountMinor: 50_000, currency: 'KRW' },
 *   unit: 'per-work',
 *   attribution: true,
 *   scope: { users: ['commercial'], territories: ['KR'] },
 *   validity: { durationDays: 365 },
 * };
 * ```
 */
export interface LicenceTerms {
  readonly price: Money;
  readonly unit: PriceUnit;
  /** Whether the licensee must credit the rights holders. */
  readonly attribution: boolean;
  readonly scope?: LicenceScope;
  readonly validity?: LicenceValidity;
}
