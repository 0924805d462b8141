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

// Transparency log (issue 7): RFC 6962/9162 Merkle trees and proofs, C2SP signed notes, checkpoints, cosignatures.
export { VerificationError } from './errors.js';
export type { VerificationCode } from './errors.js';
export { HASH_SIZE, MAX_TREE_SIZE, emptyTreeRoot, hashLeaf, hashChildren } from './tlog/merkle-hash.js';
export {
  planInclusionProof,
  planConsistencyProof,
  planRoot,
  planNodes,
  foldPlan,
  proveInclusion,
  proveConsistency,
  computeRoot,
} from './tlog/merkle-prover.js';
export type { TreeNode, HashReader, ProofPlan } from './tlog/merkle-prover.js';
export {
  verifyInclusion,
  verifyConsistency,
  verifyInclusionOrThrow,
  verifyConsistencyOrThrow,
} from './tlog/verify-proof.js';
export type { ProofVerification, InclusionProofInput, ConsistencyProofInput } from './tlog/verify-proof.js';
export { MerkleTree } from './tlog/merkle-tree.js';
export { constantTimeEqual, encodeBase64, decodeBase64 } from './tlog/encoding.js';
export {
  NOTE_KEY_TYPES,
  isValidKeyName,
  computeKeyId,
  noteKeyFromSeed,
  generateNoteKey,
  formatVerifierKey,
  formatSignerKey,
  parseVerifierKey,
  parseSignerKey,
  createNoteVerifier,
  createNoteSigner,
} from './tlog/note-key.js';
export type { NoteKeyType, NoteVerifierKey, NoteSignerKey, NoteVerifier, NoteSigner } from './tlog/note-key.js';
export {
  NOTE_LIMITS,
  parseNote,
  formatNote,
  signNote,
  openNote,
  openNoteOrThrow,
  parseNoteSignatureLine,
  formatNoteSignatureLine,
} from './tlog/signed-note.js';
export type { Note, NoteSignature, OpenedNote, NoteVerification, NoteFailureCode } from './tlog/signed-note.js';
export { parseCheckpoint, formatCheckpoint, openCheckpoint, openCheckpointOrThrow } from './tlog/checkpoint.js';
export type { Checkpoint, OpenedCheckpoint, CheckpointVerification } from './tlog/checkpoint.js';
export {
  COSIGNATURE_V1_HEADER,
  MAX_COSIGNATURE_TIME,
  cosignatureV1Message,
  parseCosignature,
} from './tlog/cosignature.js';
export type { TimestampedSignature } from './tlog/cosignature.js';
export { witnessDecision, cosignCheckpoint, verifyCosignature, checkWitnessCosignatures } from './tlog/witness.js';
export type { WitnessState, WitnessDecision, CosignatureVerification, WitnessCosignature } from './tlog/witness.js';

export { LOG_ENTRY_VERSION, PERSONAL_FIELDS, logEntryFor } from './tlog/log-entry.js';
export type { LogEventInput } from './tlog/log-entry.js';
export { verifyReceipt } from './tlog/receipt.js';
export type { Receipt, VerifiedReceipt, ReceiptVerification, ReceiptFailureCode } from './tlog/receipt.js';
export { toHex, encodeUtf8 } from './tlog/encoding.js';

export { aiCrawlersFromRobotsJson } from './signals/ai-crawlers.js';
export type { AiCrawler, RobotsJsonEntry } from './signals/ai-crawlers.js';
export { AI_CRAWLERS } from './signals/ai-crawlers.generated.js';
