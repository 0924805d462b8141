/**
 * `@heoga/core`: heoga's pure, isomorphic core. No I/O, no `process`, no Node-only modules: it runs in the browser
 * too. This file lists every export by name.
 */

export { CoreError, InvalidInputError } from './errors.js';
export type { CoreErrorCode, InvalidInputCode, InputIssue, ParseResult } from './errors.js';

export {
  USES,
  USE_GROUPS,
  USE_SCOPES,
  USE_INFO,
  isUse,
  isUseScope,
  usesPermittedBy,
  usesRestrictedBy,
  broaderUses,
} from './policy/uses.js';
export type { Use, UseGroup, UseScope } from './policy/uses.js';

export { CURRENCY_CODES, isCurrencyCode, findMinorUnitDigits, formatMoney } from './policy/currency.js';
export type { CurrencyCode, Money } from './policy/currency.js';

export { PRICE_UNITS, USER_TYPES } from './policy/licence-terms.js';
export type { LicenceTerms, LicenceScope, LicenceValidity, PriceUnit, UserType } from './policy/licence-terms.js';

export { SIGNAL_PROTOCOLS, METADATA_FORMATS, STANCE_KINDS } from './policy/statement.js';
export type {
  Statement,
  PreferenceStatement,
  LicenceHeldStatement,
  PreferenceSource,
  RegistrySource,
  SiteSignalSource,
  EmbeddedMetadataSource,
  LicenceSource,
  Stance,
  StanceKind,
  SignalProtocol,
  MetadataFormat,
} from './policy/statement.js';

export {
  STATEMENT_LIMITS,
  parseStatements,
  parseStatementsOrThrow,
  parseLicenceTerms,
} from './policy/parse-statements.js';

export { STANDINGS, combineStatements } from './policy/combine.js';
export type { Standing, Evidence, EvidenceEffect, Offer, Combination } from './policy/combine.js';

export {
  REGIMES,
  REGIME_IDS,
  VERDICT_OUTCOMES,
  REASON_INFO,
  FLAG_INFO,
  isRegimeId,
  regimeRule,
} from './policy/regimes.js';
export type {
  Regime,
  RegimeId,
  RegimeRule,
  RegimeTable,
  RegimeFlag,
  ReasonCode,
  VerdictOutcome,
  LocalisedText,
} from './policy/regimes.js';

export { evaluate } from './policy/verdict.js';
export type { EvaluationRequest, Verdict, Quote, Accrual } from './policy/verdict.js';

export {
  PROTOCOLS,
  PROTOCOL_WORDS,
  findProtocolWord,
  readProtocolWord,
  writeProtocolWords,
} from './policy/protocol-vocabulary.js';
export type {
  Protocol,
  ProtocolWord,
  ProtocolReading,
  PolicyByUse,
  WrittenWord,
} from './policy/protocol-vocabulary.js';

export { canonicalJson } from './util/canonical-json.js';
export { parseRfc3339, isRfc3339 } from './util/time.js';

// Identifiers of works: ISBN, ISSN, ISRC, ISWC, ISAN, UCI, KCC registration numbers, URLs and URL prefixes.
export {
  IDENTIFIER_SCHEMES,
  IDENTIFIER_LIMITS,
  isIdentifierScheme,
  parseIdentifier,
  detectIdentifier,
  formatIdentifier,
  urlMatchesPrefix,
} from './identifiers/identifiers.js';
export type { Identifier, IdentifierScheme } from './identifiers/identifiers.js';
