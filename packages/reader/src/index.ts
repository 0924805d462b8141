/**
 * `@heoga/reader`: reads every machine-readable AI-use signal that applies to a URL (robots.txt, TDMRep, HTTP
 * headers, HTML meta tags, RSL, ai.txt), politely and safely, and answers per use through `@heoga/core`.
 */
export { READER_ERROR_CODES, ReaderError } from './errors.js';
export type { ReaderErrorCode } from './errors.js';
export { blockedAddressRange } from './address-guard.js';
export type { BlockedRange } from './address-guard.js';
export { Fetcher, DEFAULT_MAX_BYTES, cacheControlTtl, parseHttpUrl } from './fetcher.js';
export type {
  FetchKind,
  FetchRequest,
  FetchResponse,
  FetcherOptions,
  OriginStats,
  ResolvedAddress,
  Resolver,
  SignalFetcher,
} from './fetcher.js';
export { SignalReader, readSignals } from './read-signals.js';
export type {
  ReadSignalsOptions,
  SignalEvidence,
  SignalName,
  SignalReaderOptions,
  SignalReport,
  UseAnswer,
  UseAnswerKind,
  UseEvidence,
} from './read-signals.js';
