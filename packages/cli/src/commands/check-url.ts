import { USES, formatMoney, isUse, type Use } from '@heoga/core';
import { ReaderError, SignalReader, type SignalFetcher, type SignalReport, type UseAnswerKind } from '@heoga/reader';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Style } from '../format/style.js';
import type { CliIo } from '../io.js';

/** Options of `heoga check-url`. */
export interface CheckUrlOptions {
  readonly json: boolean;
  /** Answer this use only; default every use. */
  readonly use?: string;
  /** The crawler's product token (robots.txt groups, X-Robots-Tag, ai.txt); default `heoga-reader`. */
  readonly userAgent?: string;
  /** A file of URLs, one per line (`#` comments and blank lines skipped), checked after those on the command line. */
  readonly urls?: string;
  /** Permit loopback and private addresses (local test sites only). */
  readonly allowPrivate?: boolean;
  /** A fetcher to use instead of the network one (tests, archives). */
  readonly fetcher?: SignalFetcher;
}

/** URLs checked at once; each origin still gets at most 2 requests in flight (the reader's politeness). */
const PARALLEL_URLS = 16;

function colour(style: Style, answer: UseAnswerKind): string {
  switch (answer) {
    case 'allow':
      return style.green(answer);
    case 'deny':
      return style.red(answer);
    case 'license':
      return style.yellow(answer);
    case 'unknown':
      return style.dim(answer);
  }
}

function describe(report: SignalReport, style: Style): string {
  const lines = [`${style.bold(report.url)}  ${style.dim(`as ${report.userAgent}, ${report.checkedAt}`)}`];
  for (const use of USES) {
    const answer = report.answers[use];
    if (!answer) continue;
    const offer = answer.terms?.[0];
    const price = offer ? ` ${formatMoney(offer.price)} ${offer.unit}` : '';
    const decisive = answer.evidence.filter((e) => e.decisive);
    // One signal can support a use twice (an RSL licence read for ai-train and for ai-train-genai): say it once.
    const why = [
      ...new Set(decisive.map((e) => `${e.signal} ${e.url}${e.raw ? ` (${e.raw.split('\n')[0] ?? ''})` : ''}`)),
    ]
      .slice(0, 3)
      .join('; ');
    lines.push(`  ${use.padEnd(15)} ${colour(style, answer.answer)}${price}${why ? `  ${style.dim(`← ${why}`)}` : ''}`);
  }
  const failures = report.signals.filter((s) => s.error);
  for (const f of failures)
    lines.push(`  ${style.dim(`${f.signal} ${f.url}: ${f.error?.code ?? ''} (${f.note ?? ''})`)}`);
  return `${lines.join('\n')}\n`;
}

async function readUrlList(io: CliIo, path: string): Promise<string[]> {
  let bytes: Uint8Array;
  try {
    bytes = path === '-' ? await io.readStdin() : await io.readFile(path);
  } catch (error) {
    throw new CliError('FILE_UNREADABLE', `cannot read ${path}`, { cause: error });
  }
  return new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const exitFor = (error: ReaderError): ExitCode =>
  error.code === 'URL_INVALID' || error.code === 'SCHEME_UNSUPPORTED' || error.code === 'ADDRESS_BLOCKED'
    ? EXIT.invalidInput
    : EXIT.io;

/**
 * `heoga check-url URL... [--use U] [--user-agent NAME] [--json] [--urls FILE] [--allow-private]`: reads every
 * AI-use signal that applies to each URL (robots.txt, TDMRep, Content-Usage, Content-Signal, X-Robots-Tag, HTML meta,
 * RSL, ai.txt) and prints per use allow / deny / license / unknown with the signals that decided. With `--json`, one
 * JSON object per URL per line: `{url, finalUrl, userAgent, checkedAt, answers, signals}` (the reader's report without
 * its core statements), or `{url, error: {code, message}}` for a URL that could not be read. A URL that cannot be
 * read is reported and the others go on; the exit code is then 3 (bad URL, refused address) or 4 (network).
 */
export async function runCheckUrl(
  io: CliIo,
  style: Style,
  urls: readonly string[],
  options: CheckUrlOptions,
): Promise<ExitCode> {
  let use: Use | undefined;
  if (options.use !== undefined) {
    if (!isUse(options.use)) {
      throw new CliError('USAGE', `unknown use ${JSON.stringify(options.use)}`, { hint: `one of ${USES.join(', ')}` });
    }
    use = options.use;
  }
  const all = [...urls, ...(options.urls !== undefined ? await readUrlList(io, options.urls) : [])];
  if (all.length === 0) throw new CliError('USAGE', 'no URL to check', { hint: 'give URLs or --urls FILE' });
  const reader = new SignalReader({
    ...(options.fetcher ? { fetcher: options.fetcher } : {}),
    ...(options.allowPrivate ? { allowPrivate: true } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  const readOptions = {
    ...(use ? { use } : {}),
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    now: () => io.now(),
  };
  let result: ExitCode = EXIT.ok;
  try {
    // Read in parallel (a few URLs at once), print in input order.
    let active = 0;
    const queue: (() => void)[] = [];
    const limited = async (url: string): Promise<SignalReport | ReaderError> => {
      if (active >= PARALLEL_URLS) await new Promise<void>((resolve) => queue.push(resolve));
      active++;
      try {
        return await reader.read(url, readOptions);
      } catch (error) {
        if (error instanceof ReaderError) return error;
        throw error;
      } finally {
        active--;
        queue.shift()?.();
      }
    };
    const outcomes = all.map((url) => limited(url));
    // Nothing is left unobserved if printing stops early on an unexpected error.
    for (const o of outcomes) o.catch(() => undefined);
    for (let i = 0; i < all.length; i++) {
      const outcome = await (outcomes[i] as Promise<SignalReport | ReaderError>);
      const url = all[i] ?? '';
      if (outcome instanceof ReaderError) {
        io.stderr(`heoga: ${url}: ${outcome.message} [${outcome.code}]\n`);
        if (options.json)
          io.stdout(`${JSON.stringify({ url, error: { code: outcome.code, message: outcome.message } })}\n`);
        const code = exitFor(outcome);
        if (result === EXIT.ok || code === EXIT.io) result = code;
        continue;
      }
      if (options.json) {
        const { statements: _statements, ...rest } = outcome;
        io.stdout(`${JSON.stringify(rest)}\n`);
      } else {
        io.stdout(describe(outcome, style));
      }
    }
  } finally {
    reader.close();
  }
  return result;
}
