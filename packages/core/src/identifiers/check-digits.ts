/**
 * Check-character algorithms of the standard work identifiers. Every function expects input that the caller has
 * already checked for length and alphabet (ASCII digits, or `0-9A-Z` for MOD 37,36); none of them validates.
 *
 * Sources: ISBN-10 and ISSN use MOD 11 with `X` for ten (ISO 2108, ISO 3297); ISBN-13 uses the EAN-13 MOD 10 with
 * weights 1 and 3; ISWC (ISO 15707) uses `S = 1 + Σ i·dᵢ`, `C = (10 − S mod 10) mod 10`; ISAN (ISO 15706) uses
 * ISO/IEC 7064 MOD 37,36 (the hybrid system) over its hexadecimal digits read in the alphabet `0-9A-Z`.
 */

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/**
 * The ISBN-10 check character for the first nine digits: weights 10 down to 2, MOD 11, ten written `X`.
 *
 * @example
 * ```ts
 * isbn10CheckCharacter('030640615') // '2'
 * isbn10CheckCharacter('080442957') // 'X'
 * ```
 */
export function isbn10CheckCharacter(nineDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * digitAt(nineDigits, i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * The EAN-13 (and so ISBN-13) check digit for the first twelve digits: weights 1 and 3 alternating, MOD 10.
 *
 * @example
 * ```ts
 * ean13CheckDigit('978030640615') // '7'
 * ```
 */
export function ean13CheckDigit(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * digitAt(twelveDigits, i);
  return String((10 - (sum % 10)) % 10);
}

/**
 * The ISSN check character for the first seven digits: weights 8 down to 2, MOD 11, ten written `X`.
 *
 * @example
 * ```ts
 * issnCheckCharacter('0317847') // '1'
 * ```
 */
export function issnCheckCharacter(sevenDigits: string): string {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (8 - i) * digitAt(sevenDigits, i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/**
 * The ISWC check digit for the nine digits of the work identifier: `S = 1 + Σ i·dᵢ` (the 1 stands for the `T`
 * prefix), `C = (10 − S mod 10) mod 10`. Weights 2, 4, 5, 6 and 8 share a factor with 10, so some single-digit
 * errors in those positions go undetected: that is the standard's choice, not ours.
 *
 * @example
 * ```ts
 * iswcCheckDigit('034524680') // '1'
 * ```
 */
export function iswcCheckDigit(nineDigits: string): string {
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * digitAt(nineDigits, i);
  return String((10 - (sum % 10)) % 10);
}

/**
 * The ISO/IEC 7064 MOD 37,36 check character (hybrid system, M = 36) of a string over `0-9A-Z` (upper case).
 * ISAN uses it twice: over the 16 hex digits of root and episode, and over those plus the 8 hex digits of the
 * version (the first check character is not part of the second computation).
 *
 * @example
 * ```ts
 * mod37x36CheckCharacter('00003BAB93520000')         // 'G'
 * mod37x36CheckCharacter('00003BAB9352000000000000') // 'Q'
 * ```
 */
export function mod37x36CheckCharacter(text: string): string {
  const modulus = 36;
  // ISO/IEC 7064 hybrid system: P₁ = M; Sⱼ = (Pⱼ + aⱼ) mod M, read as M when 0; Pⱼ₊₁ = 2·Sⱼ mod (M + 1).
  let product = modulus;
  for (let i = 0; i < text.length; i++) {
    const sum = (product + ALPHANUMERIC.indexOf(text.charAt(i))) % modulus;
    product = (2 * (sum === 0 ? modulus : sum)) % (modulus + 1);
  }
  // The check character a makes (P + a) mod M equal 1.
  return ALPHANUMERIC.charAt((modulus + 1 - product) % modulus);
}
