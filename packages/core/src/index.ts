/**
 * `@heoga/core`: heoga's pure, isomorphic core. No I/O, no `process`, no Node-only modules: it runs in the browser
 * too. This file lists every export by name.
 */

export { CoreError, InvalidInputError, formatIssuePath } from './errors.js';
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

export { SIGNAL_PROTOCOLS, METADATA_FORMATS, STANCE_KINDS, stanceRestrictiveness } from './policy/statement.js';
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
export type { MatchWork } from './policy/match-work.js';
export type { EvaluationRequest, Verdict, Quote, Accrual } from './policy/verdict.js';

export {
  PROTOCOLS,
  PROTOCOL_WORDS,
  findProtocolWord,
  readProtocolWord,
  writeProtocolWords,
  effectivePolicy,
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
  urlPrefixCandidates,
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

export { parseSfDictionary, serializeSfDictionary } from './signals/structured-fields.js';
export type {
  SfDictionary,
  SfDictionaryResult,
  SfMember,
  SfItem,
  SfBareItem,
  SfParameters,
} from './signals/structured-fields.js';

export { ROBOTS_TXT_MAX_BYTES, parseRobotsTxt, evaluateRobotsTxt, isRobotsProductToken } from './signals/robots-txt.js';
export type {
  RobotsTxt,
  RobotsGroup,
  RobotsLine,
  RobotsLineFlags,
  RobotsUserAgent,
  RobotsRule,
  RobotsPreferenceLine,
  PreferenceWord,
  RobotsLicense,
  RobotsSitemap,
  RobotsIgnoredLine,
  RobotsIgnoredReason,
  RobotsQuery,
  RobotsEvaluation,
  RobotsUseAnswer,
  RobotsUseAnswers,
  RobotsUserAgentAmbiguity,
} from './signals/robots-txt.js';
export { writeRobotsTxt } from './signals/robots/write-robots-txt.js';
export type { RobotsTxtWriteOptions } from './signals/robots/write-robots-txt.js';
export { normaliseRobotsPath, robotsPatternMatches, robotsPathOfUrl } from './signals/robots/path-pattern.js';

export {
  parseContentUsage,
  formatContentUsage,
  parseContentSignal,
  formatContentSignal,
  MAX_HEADER_LENGTH,
  unknownUseSignals,
  combineReadings,
} from './signals/http-signals.js';
export type { HeaderSignalReading, UseSignal, UseSignals, SignalEntry } from './signals/http-signals.js';
export { parseXRobotsTag, parseMetaRobots, SEARCH_DIRECTIVES } from './signals/http-signals-robots.js';
export type { RobotsDirectivesReading, RobotsDirective, SearchDirective } from './signals/http-signals-robots.js';
export { parseLinkHeader, findRslLicenseLinks, MAX_LINK_HEADER_LENGTH } from './signals/link-header.js';
export type { LinkValue, LinkHeaderReading } from './signals/link-header.js';
export {
  parseAiTxt,
  evaluateAiTxt,
  writeAiTxt,
  AI_TXT_MEDIA_TYPES,
  AI_TXT_EXTENSIONS,
  MAX_AI_TXT_LENGTH,
} from './signals/ai-txt.js';
export type { AiTxtFile, AiTxtGroup, AiTxtRule, AiTxtVerdict, AiTxtMediaType, AiTxtOptions } from './signals/ai-txt.js';

export {
  parseTdmrepJson,
  evaluateTdmrep,
  readTdmrepValues,
  readTdmrepHeaders,
  readTdmrepMeta,
  combineTdmrep,
  orderTdmrepRules,
  writeTdmrepJson,
  tdmrepForPolicy,
  TDMREP_TECHNIQUES,
  MAX_TDMREP_RULES,
} from './signals/tdmrep.js';
export type {
  TdmReservation,
  TdmrepParseResult,
  TdmrepRule,
  TdmrepFile,
  TdmrepEvaluation,
  TdmrepTechnique,
  TdmrepStep,
  TdmrepMeta,
  TdmrepDecision,
  TdmrepRuleInput,
  TdmrepPublication,
} from './signals/tdmrep.js';
export {
  parseTdmPolicy,
  writeTdmPolicy,
  tdmPolicyFor,
  TDM_POLICY_CONTEXT,
  TDM_POLICY_PROFILE,
} from './signals/tdmrep-policy.js';
export type {
  TdmDuty,
  TdmPurpose,
  TdmAddress,
  TdmAssigner,
  TdmPermission,
  TdmPolicy,
  TdmPolicyParseResult,
} from './signals/tdmrep-policy.js';
export {
  parseRsl,
  evaluateRsl,
  serializeRsl,
  rslDocumentForPolicy,
  writeRsl,
  rslAmountToMoney,
  moneyToRslAmount,
  RSL_NAMESPACE,
  RSL_USAGES,
  RSL_LEGACY_USAGES,
  RSL_USERS,
  RSL_PAYMENT_TYPES,
} from './signals/rsl.js';
export type {
  RslPaymentType,
  RslTermType,
  RslTokens,
  RslAmount,
  RslAccepts,
  RslPayment,
  RslLegal,
  RslReporting,
  RslLicense,
  RslCopyright,
  RslContent,
  RslDocument,
  RslParseResult,
  RslRequest,
  RslOutcome,
  RslLicenseEvidence,
  RslEvaluation,
  RslWriteOptions,
} from './signals/rsl.js';

export { FINGERPRINT_KINDS, SNIFF_BYTES, sniffKind } from './fingerprints/sniff.js';
export type { FingerprintKind, SniffedKind } from './fingerprints/sniff.js';

export {
  IMAGE_MAX_PIXELS,
  assertImagePixels,
  PDQ_HASH_BYTES,
  PDQ_MATCH_THRESHOLD,
  PDQ_MIN_QUALITY,
  PDQ_VARIANTS,
  comparePdq,
  hammingDistance,
  pdqFromPixels,
  pdqHashFromHex,
  pdqHashToHex,
  PDQ_ALGORITHM,
  parsePdq,
  serialisePdq,
  parsePpm,
  writePpm,
} from './fingerprints/image/index.js';
export type {
  ImagePixels,
  PixelChannels,
  PdqComparison,
  PdqDihedral,
  PdqFingerprint,
  PdqHash,
  PdqResult,
  PdqVariant,
  PpmImage,
} from './fingerprints/image/index.js';

export {
  CHROMAPRINT_TEST2,
  CHROMAPRINT_ITEM_SECONDS,
  CHROMAPRINT_CODEC_LIMITS,
  compressChromaprint,
  decompressChromaprint,
  compareChromaprint,
} from './fingerprints/audio/index.js';
export type {
  DecompressedChromaprint,
  ChromaprintCompareOptions,
  ChromaprintComparison,
} from './fingerprints/audio/index.js';

export {
  VIDEO_ALGORITHM,
  VIDEO_LIMITS,
  VIDEO_MIN_ALIGNED_FRAMES,
  VIDEO_MIN_COVERAGE,
  compareVideo,
  parseVideoFingerprint,
  serialiseVideoFingerprint,
} from './fingerprints/video/video-fingerprint.js';
export type {
  VideoCompareOptions,
  VideoComparison,
  VideoFingerprint,
  VideoFrameFingerprint,
} from './fingerprints/video/video-fingerprint.js';

export {
  decodeText,
  findContainment,
  fingerprintText,
  DEFAULT_LSH_BANDING,
  lshBandKeys,
  estimateJaccard,
  MINHASH_SHINGLE,
  MINHASH_SIZE,
  minhash,
  minhashClassic,
  normaliseForShingling,
  MAX_WINNOW_FINGERPRINTS,
  parseTextFingerprint,
  serialiseTextFingerprint,
  serialiseTextFingerprints,
  TEXT_FINGERPRINT_ALGORITHMS,
  textDigests,
  WINNOW_K,
  WINNOW_W,
  winnow,
} from './fingerprints/text/index.js';
export type {
  ContainmentOptions,
  ContainmentResult,
  ContainmentSpan,
  TextFingerprints,
  TextFingerprintOptions,
  LshBanding,
  MinHashSignature,
  NormalisedText,
  SerialisedTextFingerprint,
  TextFingerprint,
  TextFingerprintAlgorithm,
  TextDigests,
  WinnowFingerprints,
} from './fingerprints/text/index.js';

export {
  FINGERPRINT_FORMAT,
  fingerprint,
  textRecord,
  imageRecord,
  audioRecord,
  videoRecord,
} from './fingerprints/fingerprint.js';
export type {
  FingerprintRecord,
  StoredFingerprint,
  TextSummary,
  ImageSummary,
  AudioSummary,
  VideoSummary,
} from './fingerprints/fingerprint.js';

export { extractHtmlHead, decodeHtmlAttribute, MAX_HTML_SCAN_LENGTH } from './signals/html-meta.js';
export type { HtmlMeta, HtmlLink, HtmlHeadSignals } from './signals/html-meta.js';

export {
  signalHeaders,
  signalFiles,
  headerSafeUrl,
  SIGNAL_FILES_DIRECTORY,
  writeNginxSnippet,
  writeApacheSnippet,
  writeCaddySnippet,
  writeWordPressSnippet,
} from './signals/server-snippets.js';
export type { ServerSnippetOptions, SignalHeader, SignalFile } from './signals/server-snippets.js';
