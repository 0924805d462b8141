/** Stable codes of the reader's errors: scripts and the CLI's JSON output rely on them; never rename one. */
export const READER_ERROR_CODES = [
  'URL_INVALID',
  'SCHEME_UNSUPPORTED',
  'DNS_FAILED',
  'ADDRESS_BLOCKED',
  'TIMEOUT',
  'BODY_TOO_LARGE',
  'TOO_MANY_REDIRECTS',
  'NETWORK_ERROR',
] as const;

/** A code of {@link ReaderError}. */
export type ReaderErrorCode = (typeof READER_ERROR_CODES)[number];

/**
 * An error of the reader's fetcher, with a stable code:
 * `URL_INVALID` (not a URL), `SCHEME_UNSUPPORTED` (not http/https), `DNS_FAILED` (the name did not resolve),
 * `ADDRESS_BLOCKED` (the SSRF guard refused the resolved address), `TIMEOUT`, `BODY_TOO_LARGE`,
 * `TOO_MANY_REDIRECTS` (more than 5), `NETWORK_ERROR` (connection refused or reset, bad response).
 *
 * @example
 * ```ts
 * try { await fetcher.fetch('http://127.0.0.1/', { kind: 'resource' }); }
 * catch (e) { if (e instanceof ReaderError && e.code === 'ADDRESS_BLOCKED') console.log('refused'); }
 * ```
 */
export class ReaderError extends Error {
  readonly code: ReaderErrorCode;
  /** The URL being fetched when the error happened (the redirect target for a refused redirect). */
  readonly url: string | undefined;

  constructor(code: ReaderErrorCode, message: string, options?: { url?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReaderError';
    this.code = code;
    this.url = options?.url;
  }
}
